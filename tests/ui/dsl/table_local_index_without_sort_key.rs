// A local secondary index shares the table's partition key and adds another sort key, so
// DynamoDB accepts one only on a table that has a sort key; CloudFormation would take the
// template and the deployment fail.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "customer_id",
        indexes: { by_amount: Local(N("amount")) },
        encryption: Kms,
        removal: Destroy,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
