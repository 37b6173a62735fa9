// A property written twice: the second would silently win, so it is an error on the second.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "inventory-updates-{suffix}",
        shards: 2,
        encryption: Kms,
        shards: 4,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
