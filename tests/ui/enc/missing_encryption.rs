// Seed mistake 18: no explicit encryption on the stream, no S3 encryption type (and here
// neither a TLS-only policy nor a public access block).
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "inventory-updates-{suffix}",
        shards: 2,
        removal: Destroy,
    });
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        glacier_after_days: 90,
        expire_after_days: 1095,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
}

fn main() {}
