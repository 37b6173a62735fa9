// The production orders table's physical name changed: a table's name is create-only, so
// CloudFormation would replace it, and the new table starts empty.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table { name: "order-records-{suffix}", partition_key: "order_id", encryption: Kms });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
