// A lifecycle is one of two words; a misspelt one is an error on the word.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Ephemeral, Durabel], durable_suffixes = ["prod"])]
pub fn orders() {
    let orders = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms });
    resource!(Output { name: "OrdersTableName", value: orders.name });
}

fn main() {}
