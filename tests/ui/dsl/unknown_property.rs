// A misspelled property is an error on the property, with the closest one.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "inventory-updates-{suffix}",
        shards: 2,
        encryption: Kms,
        removel: Destroy,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
