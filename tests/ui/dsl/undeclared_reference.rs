// A reference must name a resource declared in the stack.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let db_security_group = resource!(SecurityGroup {
        name: "product-catalog-db-{suffix}",
        vpc: vcp,
        description: "Product catalog database",
    });
}

fn main() {}
