// A status page served from a bucket: `public_read` opens its objects to anyone, which is
// what a status page is for. tap still stops the build until someone says so on the bucket
// (`#[expect("TAP-PUBLIC-001", reason = "..")]`): an opening is argued, not slipped in.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
}

fn main() {}
