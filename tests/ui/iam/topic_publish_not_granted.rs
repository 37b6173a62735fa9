// Seed mistake 9 with the kinds an orders service uses: the function is given the table
// and the topic in its environment, but only the table is granted, so every publish fails
// with AccessDenied at run time.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table { name: "orders-{suffix}", partition_key: "order_id", encryption: Kms, removal: Destroy });
    let order_events = resource!(Topic { name: "order-events-{suffix}", encryption: Kms, enforce_tls: true });
    let writer = resource!(Function {
        name: "order-writer-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { ORDERS_TABLE: orders.name, ORDER_EVENTS_TOPIC_ARN: order_events.arn },
        grants: [orders.write],
    });
    resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
    resource!(Output { name: "OrdersTableName", value: orders.name });
    resource!(Output { name: "OrderEventsTopicArn", value: order_events.arn });
    resource!(Output { name: "WriterFunctionName", value: writer.name });
}

fn main() {}
