// A resource alone cannot be checked against the stack it belongs to.
use tap::prelude::*;

fn main() {
    let archive_bucket = resource!(Bucket { name: "product-inventory-archive-{suffix}" });
}
