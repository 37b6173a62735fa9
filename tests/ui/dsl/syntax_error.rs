// Broken syntax is reported at the token, never as a macro panic.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name "inventory-updates-{suffix}", shards: 2 });
}

fn main() {}
