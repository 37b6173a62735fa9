// A shop split the way teams split services: a data stack (the orders table and the order
// events topic, which outlive any deploy of the code) and a service stack (the queue and the
// function that writes orders and announces them). The service names the data stack's
// resources as `data::orders`; the build exports them from one and imports them into the
// other, with the environment suffix in every export name. Included by the tests that
// snapshot, lint and deploy it. Inside the app, `#[stack]` and `resource!` are the app's
// to read: no import is needed.

#[tap::app]
pub mod shop {
    #[stack(name = "ShopData")]
    pub fn data() {
        let orders = resource!(Table {
            name: "shop-orders-{suffix}",
            partition_key: "customer_id",
            sort_key: "order_id",
            encryption: Kms,
            point_in_time_recovery: false,
            deletion_protection: false,
            removal: Destroy,
        });

        let order_events = resource!(Topic {
            name: "shop-order-events-{suffix}",
            display_name: "Shop order events",
            encryption: Kms,
            enforce_tls: true,
        });
    }

    #[stack(name = "ShopService")]
    pub fn service() {
        let incoming_dlq = resource!(Queue {
            name: "shop-incoming-dlq-{suffix}",
            encryption: SqsManaged,
            retention_days: 14,
            removal: Destroy,
        });

        let incoming = resource!(Queue {
            name: "shop-incoming-{suffix}",
            encryption: SqsManaged,
            visibility_timeout_seconds: 180,
            dead_letter: incoming_dlq,
            max_receive_count: 5,
            removal: Destroy,
        });

        let writer = resource!(Function {
            name: "shop-order-writer-{suffix}",
            code: Dir("../../../ui/fixtures/lambda"),
            runtime: ProvidedAl2023,
            timeout_seconds: 30,
            env: { ORDERS_TABLE: data::orders.name, ORDER_EVENTS_TOPIC_ARN: data::order_events.arn },
            grants: [data::orders.write, data::order_events.publish, incoming.consume],
        });

        resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
        resource!(EventSource { queue: incoming, target: writer, batch_size: 10, report_batch_item_failures: true });
        resource!(Alarm { name: "shop-order-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
        resource!(Alarm { name: "shop-incoming-dlq-{suffix}", on: incoming_dlq, metric: QueueDepth, threshold: 1 });
        resource!(Output { name: "IncomingQueueUrl", value: incoming.url });
    }
}

// The other usual split: a network stack the platform team owns, and a service whose
// function is placed in its VPC. The VPC crosses with its private subnets.
#[tap::app]
pub mod platform {
    #[stack(name = "Network")]
    pub fn network() {
        let vpc = resource!(Vpc { name: "platform-{suffix}", max_azs: 2, nat_gateways: 1 });
    }

    #[stack(name = "Notifier")]
    pub fn service() {
        let group = resource!(SecurityGroup { name: "notifier-{suffix}", vpc: network::vpc, description: "notifier" });
        let alerts = resource!(Topic { name: "notifier-alerts-{suffix}", encryption: Kms, enforce_tls: true });
        let notifier = resource!(Function {
            name: "notifier-{suffix}",
            code: Dir("../../../ui/fixtures/lambda"),
            runtime: ProvidedAl2023,
            timeout_seconds: 30,
            vpc: network::vpc,
            security_group: group,
            egress_via_nat: [Sns],
            env: { ALERTS_TOPIC_ARN: alerts.arn },
            grants: [alerts.publish],
        });
        resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "notifier-errors-{suffix}", on: notifier, metric: Errors, threshold: 1 });
        resource!(Output { name: "NotifierFunctionName", value: notifier.name });
        resource!(Output { name: "AlertsTopicArn", value: alerts.arn });
    }
}
