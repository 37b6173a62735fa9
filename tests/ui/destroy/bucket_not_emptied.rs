// Seed mistake 2, the other half: a bucket that is not emptied cannot be deleted once it
// holds objects, so `delete-stack` fails and leaves it behind. Ephemeral deployments empty
// their buckets unless told not to.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        auto_delete_objects: false,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 1095,
    });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
