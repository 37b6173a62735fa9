// The status page moved behind CloudFront and the bucket blocks public access again, but
// the acknowledgement stayed. Like Rust's `#[tap::expect]`, an acknowledgement that no finding
// needs is an error, so an exception cannot outlive its cause.
use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect("TAP-PUBLIC-001", reason = "the public status page is read by customers during an outage")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
}

fn main() {}
