// An S3 bucket written raw would escape every rule tap has for buckets (suffix, removal,
// emptying, encryption, TLS): a type tap has a kind for is written with the kind.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::S3::Bucket { BucketName: "archive-{suffix}" });
}

fn main() {}
