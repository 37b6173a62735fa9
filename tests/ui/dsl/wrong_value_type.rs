// Values are typed: a shard count is an integer in range, a policy is one of its words.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream {
        name: "inventory-updates-{suffix}",
        shards: "2",
        encryption: Kms,
        removal: Delete,
    });
    let failure_queue = resource!(Queue {
        name: "inventory-failures-{suffix}",
        encryption: SqsManaged,
        retention_days: 30,
    });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
    resource!(Output { name: "FailureQueueUrl", value: failure_queue.url });
}

fn main() {}
