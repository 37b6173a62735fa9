// `moved` and `forget!` name what the lock lists: a misspelt id keeps nothing.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    #[tap::moved(from = "Order")]
    let order_table = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    tap::forget!("Payments", reason = "the payments table moved to the billing stack");
    resource!(Output { name: "OrdersTableName", value: order_table.name });
}

fn main() {}
