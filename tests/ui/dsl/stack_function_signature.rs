// A stack function is declared, not run: `#[stack]` gives it its return type, and build
// scripts call it with nothing. Arguments, `async` and a return type would be dropped
// silently, so each is an error on its tokens.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub async fn product_catalog(shards: i64) -> u32 {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
