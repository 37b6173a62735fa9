// The seed's fix for mistake 2 (`auto_delete_objects: true`) in a stack that also deploys to
// production: deleting the `prod` stack would first delete every archived object.
use tap::prelude::*;

#[stack(name = "ProductCatalog", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]
pub fn product_catalog() {
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 1095,
    });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
