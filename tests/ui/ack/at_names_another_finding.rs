// `at` names one finding within the rule. Here it names a property the rule found nothing
// at; the error lists where the rule's findings on this resource are.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-PUBLIC-001", at = "block_public_access", reason = "the public status page is read by customers during an outage")]
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
