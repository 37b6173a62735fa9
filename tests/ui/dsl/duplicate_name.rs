// Two resources with one binding, or two buckets with one physical name, cannot both exist.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let archive = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });
    let archive = resource!(Stream { name: "inventory-updates-{suffix}", shards: 1, encryption: Kms });
    resource!(Output { name: "InventoryStreamName", value: archive.name });
}

fn main() {}
