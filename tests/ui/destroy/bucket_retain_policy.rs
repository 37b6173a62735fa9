// Seed mistake 2: `removal_policy=RemovalPolicy.RETAIN` on the archive bucket, and no
// `auto_delete_objects`, so the stack can never be deleted cleanly.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        removal: Retain,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        glacier_after_days: 90,
        expire_after_days: 1095,
    });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
