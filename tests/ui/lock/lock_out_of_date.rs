// A new kept resource (the order jobs queue) is safe, and a local build adds it to the lock.
// Where the lock is read-only (`TAP_LOCKED`, as the test command and CI set it), a build that
// would change it fails: the lock committed is the lock deployed.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    let jobs = resource!(Queue { name: "order-jobs-{suffix}", encryption: SqsManaged });
    resource!(Output { name: "OrdersTableName", value: orders.name });
    resource!(Output { name: "OrderJobsUrl", value: jobs.url });
}

fn main() {}
