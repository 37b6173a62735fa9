// Seed mistake 17: no CfnOutput; nobody can find the stream or the archive after deploying.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms, removal: Destroy });
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 1095,
    });
}

fn main() {}
