// `resource.attribute` must name an attribute of that kind; a grant, one of its access levels.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.nmae });
}

fn main() {}
