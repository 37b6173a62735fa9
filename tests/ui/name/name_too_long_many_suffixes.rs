// A name that repeats the suffix can never fit: still a clean error, never a macro panic.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}{suffix}",
        shards: 2,
        encryption: Kms,
        removal: Destroy,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
}

fn main() {}
