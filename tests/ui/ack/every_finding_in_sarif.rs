// Every finding of a stack, on the lines it is written on: the build writes them to
// `target/tap/<Stack>/findings.sarif` (for code hosts), the failing build too. This stack has
// errors on several lines and one finding acknowledged on purpose; `tests/ui.rs` validates
// the log against the SARIF 2.1.0 schema and checks each result's line and column.
use tap::prelude::*;

#[stack(name = "SarifLines")]
pub fn sarif_lines() {
    #[tap::expect("TAP-PUBLIC-001", reason = "the public status page is read by customers during an outage")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    let archive = resource!(Bucket {
        name: "archive",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: false,
        expire_after_days: 90,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
    resource!(Output { name: "ArchiveBucket", value: archive.name });
}

fn main() {}
