// An export's name is unique in the account and region, as a bucket's is: the same name in
// every environment makes the second deployment fail on it (or, imported, wires a test
// stack to production's table).
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        point_in_time_recovery: false,
        deletion_protection: false,
        removal: Destroy,
    });
    resource!(Output { name: "OrdersTableArn", value: orders.arn, export_name: "orders-table-arn" });
}

fn main() {}
