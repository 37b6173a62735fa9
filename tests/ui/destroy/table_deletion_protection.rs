// Seed mistake 3 on a DynamoDB table: deletion protection makes `delete-stack` fail.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        deletion_protection: true,
        removal: Destroy,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
