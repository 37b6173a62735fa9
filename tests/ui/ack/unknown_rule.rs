// A misspelt rule id would acknowledge nothing: it is an error with the closest id as fix.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-PUBLC-001", reason = "the public status page is read by customers during an outage")]
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
