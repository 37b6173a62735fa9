// `EditedOrders.tap.lock` beside this file had an entry deleted by hand, to let a table go
// without a word in the stack. The lock's digest no longer matches its lines: refused.
use tap::prelude::*;

#[stack(name = "EditedOrders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
