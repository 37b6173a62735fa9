// Seed mistake 18 on an SNS topic: no KMS key, and publishes accepted over plain HTTP.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let order_events = resource!(Topic {
        name: "order-events-{suffix}",
        enforce_tls: false,
    });
    resource!(Output { name: "OrderEventsTopicArn", value: order_events.arn });
}

fn main() {}
