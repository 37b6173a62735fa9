// A kind tap does not know is an error on the kind word, with the closest kind.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let archive_bucket = resource!(Buckt { name: "product-inventory-archive-{suffix}" });
}

fn main() {}
