// A raw bucket policy that lets anyone read the archive: every object the pipeline writes
// is on the internet. tap's own access is written as grants; a resource policy is how a
// resource is opened to someone else, and `*` is everyone.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 1095,
    });
    resource!(AWS::S3::BucketPolicy {
        Bucket: archive_bucket,
        PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::product-inventory-archive-{suffix}/*" }],
        },
    });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
