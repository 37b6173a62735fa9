// A stack that supports both lifecycles may not write a setting only one of them wants:
// deletion protection on would make every ephemeral deployment undeletable. tap derives it
// (on when durable, off when ephemeral), so the fix is to leave it out.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        deletion_protection: true,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
