// A production table with deletion protection written off (cdk-nag's RDS10, for DynamoDB):
// one mistyped `delete-stack` away from gone.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        deletion_protection: false,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
