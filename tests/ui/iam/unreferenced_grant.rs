// The other half of seed mistake 9: a grant no reference justifies is standing access.
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
        grants: [archive_bucket.write, audit_bucket.read],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    let audit_bucket = resource!(Bucket {
        name: "product-audit-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 365,
    });
    resource!(Output { name: "AuditBucketName", value: audit_bucket.name });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
