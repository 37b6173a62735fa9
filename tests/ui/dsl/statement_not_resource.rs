// A stack is declarations only: no code runs while it is checked.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let shards = 2 + 1;
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
