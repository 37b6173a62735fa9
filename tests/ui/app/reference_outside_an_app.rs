// A stack on its own names `data::orders`: only stacks declared together in one
// `#[tap::app]` module can refer to each other.
use tap::prelude::*;

#[stack(name = "ShopService")]
pub fn service() {
    let writer = resource!(Function {
        name: "shop-writer-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 30,
        env: { ORDERS_TABLE: data::orders.name },
        grants: [data::orders.write],
    });
    resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
    resource!(Alarm { name: "shop-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
}

fn main() {}
