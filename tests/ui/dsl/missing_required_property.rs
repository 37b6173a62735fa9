// A stream without a shard count means nothing; the error points at the kind.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", encryption: Kms });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
