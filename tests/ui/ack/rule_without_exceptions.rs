// Encryption is not a choice a service makes: TAP-ENC-001 has no exceptions, so
// acknowledging it is an error that says why, and the finding itself still shows.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-ENC-001", reason = "the status page is public anyway, so encrypting it buys nothing")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: None,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
}

fn main() {}
