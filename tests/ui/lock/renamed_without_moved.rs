// The production orders table's binding renamed from `orders` to `order_table`. tap derives
// logical ids from bindings, so CloudFormation would see a new table to create (failing on
// the name the old one still holds) and the old one to remove. The stack's lock
// (`Orders.tap.lock`, beside this file) knows the table as `Orders`: the build stops until the
// source says the table moved.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let order_table = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    resource!(Output { name: "OrdersTableName", value: order_table.name });
}

fn main() {}
