// Seed mistake 16: the archive moves to Glacier after 90 days but never expires, though the
// retention is three years.
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
        glacier_after_days: 90,
    });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
