// The function binds an event bus (a raw resource: tap has no kind for it) and would put
// events on it, but holds no grant naming it: AccessDenied at run time. A raw resource has
// no access levels, so the grant is a `Raw` one naming it (TAP-IAM-001 says which).
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
    let bus = resource!(AWS::Events::EventBus { Name: "inventory-events-{suffix}" });
    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { ARCHIVE_BUCKET: archive_bucket.name, EVENTS_BUS_ARN: bus.Arn },
        grants: [archive_bucket.write],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
