// Seed mistake 14: `runtime=lambda_.Runtime.PYTHON_3_9` importing psycopg2 and redis, which
// the runtime does not ship, with no layer or bundle. (Written with Python313 here: 3.9 is
// deprecated by now, which tap reports on its own, see dsl/deprecated_runtime.rs.)
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
        runtime: Python313,
        handler: "inventory_processor.handler",
        env: { ARCHIVE_BUCKET: archive_bucket.name },
        grants: [archive_bucket.write],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
