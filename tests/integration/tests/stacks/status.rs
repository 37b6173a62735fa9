// A public status page: a bucket whose `status/*` objects anyone may read, written with the
// acknowledgement that makes the opening intended (TAP-PUBLIC-001, with its reason), and a
// function that publishes the page. Included by the tests that snapshot, lint and scan its
// template and read the acknowledgement back from it.

use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect(
        "TAP-PUBLIC-001",
        at = "public_read",
        reason = "customers read the status page during an outage, when they cannot sign in to anything"
    )]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    let publisher = resource!(Function {
        name: "status-publisher-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { STATUS_BUCKET: page.name },
        grants: [page.write],
    });
    resource!(LogGroup { function: publisher, retention_days: 14, removal: Destroy });
    resource!(Output { name: "StatusBucket", value: page.name });
}
