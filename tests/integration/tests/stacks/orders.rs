// An orders service: the first stack written with the DynamoDB table and SNS topic kinds.
// Orders arrive on a queue; a function stores each in the table and announces it on the
// topic. Every night at 02:30 Berlin time a schedule invokes the reconciler, which reads the
// table; an invocation Scheduler cannot deliver, and one the reconciler still fails after
// its retry, both land on one queue. Included by the tests that snapshot, lint and inspect
// its template.

use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Table {
        name: "orders-{suffix}",
        partition_key: "customer_id",
        sort_key: "order_id",
        ttl_attribute: "expires_at",
        encryption: Kms,
        point_in_time_recovery: false,
        deletion_protection: false,
        removal: Destroy,
    });

    let order_events = resource!(Topic {
        name: "order-events-{suffix}",
        display_name: "Order events",
        encryption: Kms,
        enforce_tls: true,
    });

    let incoming_dlq = resource!(Queue {
        name: "orders-incoming-dlq-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });

    let incoming = resource!(Queue {
        name: "orders-incoming-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 180,
        dead_letter: incoming_dlq,
        max_receive_count: 5,
        removal: Destroy,
    });

    let writer = resource!(Function {
        name: "order-writer-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        architecture: Arm64,
        timeout_seconds: 30,
        env: {
            ORDERS_TABLE: orders.name,
            ORDER_EVENTS_TOPIC_ARN: order_events.arn,
        },
        grants: [orders.write, order_events.publish, incoming.consume],
    });

    let reconcile_failures =
        resource!(Queue { name: "orders-reconcile-failures-{suffix}", encryption: SqsManaged, removal: Destroy });

    let reconciler = resource!(Function {
        name: "order-reconciler-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        architecture: Arm64,
        timeout_seconds: 300,
        env: { ORDERS_TABLE: orders.name },
        grants: [orders.read, reconcile_failures.send],
        async_retries: 1,
        async_max_age_seconds: 3600,
        async_on_failure: reconcile_failures,
    });

    resource!(Schedule {
        name: "orders-reconcile-{suffix}",
        expression: "cron(30 2 * * ? *)",
        timezone: "Europe/Berlin",
        target: reconciler,
        retries: 3,
        max_event_age_seconds: 3600,
        dead_letter: reconcile_failures,
    });

    resource!(LogGroup { function: writer, retention_days: 30, removal: Destroy });
    resource!(LogGroup { function: reconciler, retention_days: 30, removal: Destroy });
    resource!(EventSource { queue: incoming, target: writer, batch_size: 10, report_batch_item_failures: true });
    resource!(Alarm { name: "order-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "orders-incoming-dlq-depth-{suffix}", on: incoming_dlq, metric: QueueDepth, threshold: 1 });

    resource!(Alarm { name: "order-reconciler-errors-{suffix}", on: reconciler, metric: Errors, threshold: 1 });
    resource!(Alarm {
        name: "orders-reconcile-failures-depth-{suffix}",
        on: reconcile_failures,
        metric: QueueDepth,
        threshold: 1,
    });

    resource!(Output { name: "OrdersTableName", value: orders.name });
    resource!(Output { name: "OrderEventsTopicArn", value: order_events.arn });
    resource!(Output { name: "IncomingQueueUrl", value: incoming.url });
    resource!(Output { name: "IncomingDlqUrl", value: incoming_dlq.url });
    resource!(Output { name: "WriterFunctionName", value: writer.name });
    resource!(Output { name: "ReconcilerFunctionName", value: reconciler.name });
    resource!(Output { name: "ReconcileFailuresQueueUrl", value: reconcile_failures.url });
}
