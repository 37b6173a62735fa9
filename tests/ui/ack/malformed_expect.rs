// An acknowledgement without a reason is not one; nor is an attribute tap would ignore.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-PUBLIC-001")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    #[allow(unused)]
    resource!(Output { name: "StatusBucket", value: page.name });
}

fn main() {}
