// DynamoDB keeps a point-in-time-recovery table's last backup for 35 days after the table
// is deleted: in a throwaway stack that is data (and cost) outliving the environment, the
// DynamoDB form of seed mistake 5.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "order_id",
        encryption: Kms,
        point_in_time_recovery: true,
        removal: Destroy,
    });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
