// A durable stack must say which environments are durable: the durable template accepts
// only those suffixes and the ephemeral one refuses them, so a wrong parameter can never
// deploy production with the template that deletes everything.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Ephemeral, Durable])]
pub fn orders() {
    let orders = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
