// A grant written against a literal ARN: it pins one account, region and environment,
// names a resource outside every check of the stack, and the stack's own bucket keeps
// needing a grant of its own. A grant names a resource of the stack: `binding.arn`.
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
        grants: [archive_bucket.write, Raw(["s3:PutObjectTagging"], ["arn:aws:s3:::product-inventory-archive-dev/*"])],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
