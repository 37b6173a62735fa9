// A reference must be of the kind the property expects: a security group lives in a VPC.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });
    let db_security_group = resource!(SecurityGroup {
        name: "product-catalog-db-{suffix}",
        vpc: inventory_stream,
        description: "Product catalog database",
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
