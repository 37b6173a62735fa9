// The seed's runtime, Python 3.9, is deprecated by Lambda (since 2025-12-15): cfn-lint
// warns (W2531) and, from its create-block date, Lambda refuses new functions on it. tap
// judges runtimes by the lifecycle dates cfn-lint ships, as of the day it compiles, and
// names the successor. The same line is also seed mistake 14 (an interpreted runtime
// whose packages are not bundled: TAP-CODE-004), so one pass shows both.
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
    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: Python39,
        handler: "inventory_processor.handler",
        env: { ARCHIVE_BUCKET: archive_bucket.name },
        grants: [archive_bucket.write],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
