// Two levels on one resource (`read` and `write`): two statements where one is meant, and
// no single access for the function's handle of it. The kind's combined level says it once.
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
        runtime: ProvidedAl2023,
        env: { ARCHIVE_BUCKET: archive_bucket.name },
        grants: [archive_bucket.read, archive_bucket.write],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
