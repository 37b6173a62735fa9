// A `Raw` grant with a misspelt action: IAM accepts the policy, the statement allows
// nothing, and the function fails at run time with AccessDenied. tap checks each action
// against the list of IAM actions (from cfn-lint) and suggests the closest.
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
        grants: [archive_bucket.write, Raw(["s3:PutObjectTaging"], [archive_bucket.arn])],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
