// Seed mistake 1: `stream_name="inventory-updates-stream"` has no environment suffix, so a
// second environment in the same account collides with the first.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "inventory-updates-stream",
        shards: 2,
        encryption: Kms,
        removal: Destroy,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
