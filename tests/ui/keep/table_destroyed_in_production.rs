// `removal: Destroy` in a stack that also deploys to production: `delete-stack` on `prod`
// (or an update that replaces the table) would delete every order.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        removal: Destroy,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
