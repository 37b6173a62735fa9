// An acknowledgement is read by a reviewer: its reason says why in real words. Too short,
// the rule's own title said back, or a placeholder is not a reason.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-PUBLIC-001", reason = "intended")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    #[tap::expect("TAP-PUBLIC-001", reason = "TODO: ask the platform team why this is open")]
    let assets = resource!(Bucket {
        name: "status-assets-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
    resource!(Output { name: "AssetsBucket", value: assets.name });
}

fn main() {}
