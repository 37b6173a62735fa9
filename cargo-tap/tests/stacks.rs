// Stacks of the types the moto server's CloudFormation can create (no secrets, caches,
// alarms or custom resources: see the README's note on the emulator), before and after a
// change that replaces the queue (a new name), widens the function's grant and opens a
// port: what `cargo tap diff` must report and `cargo tap deploy` must ask about.

use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let orders = resource!(Queue { name: "orders-{suffix}", encryption: Kms, retention_days: 4, removal: Destroy });
    let events = resource!(Topic { name: "order-events-{suffix}", encryption: Kms, enforce_tls: true });
    let api = resource!(Function {
        name: "orders-api-{suffix}",
        code: Dir("fixtures/hello"),
        runtime: ProvidedAl2023,
        env: { ORDERS_QUEUE_URL: orders.url, EVENTS_TOPIC_ARN: events.arn },
        grants: [orders.send, events.publish],
    });
    resource!(LogGroup { function: api, retention_days: 14, removal: Destroy });
    resource!(Output { name: "OrdersQueueUrl", value: orders.url });
    resource!(Output { name: "OrderEventsTopicArn", value: events.arn });
    resource!(Output { name: "ApiFunctionName", value: api.name });
}

#[stack(name = "Orders")]
pub fn orders_changed() {
    let orders = resource!(Queue { name: "orders-v2-{suffix}", encryption: Kms, retention_days: 4, removal: Destroy });
    let events = resource!(Topic { name: "order-events-{suffix}", encryption: Kms, enforce_tls: true });
    let api = resource!(Function {
        name: "orders-api-{suffix}",
        code: Dir("fixtures/hello"),
        runtime: ProvidedAl2023,
        env: { ORDERS_QUEUE_URL: orders.url, EVENTS_TOPIC_ARN: events.arn },
        grants: [orders.consume, events.publish],
    });
    resource!(LogGroup { function: api, retention_days: 14, removal: Destroy });
    resource!(Output { name: "OrdersQueueUrl", value: orders.url });
    resource!(Output { name: "OrderEventsTopicArn", value: events.arn });
    resource!(Output { name: "ApiFunctionName", value: api.name });
}

// The same change without the replacement: the moto server cannot execute an update that
// replaces a resource another one reads with `Fn::GetAtt`.
#[stack(name = "Orders")]
pub fn orders_widened() {
    let orders = resource!(Queue { name: "orders-{suffix}", encryption: Kms, retention_days: 4, removal: Destroy });
    let events = resource!(Topic { name: "order-events-{suffix}", encryption: Kms, enforce_tls: true });
    let api = resource!(Function {
        name: "orders-api-{suffix}",
        code: Dir("fixtures/hello"),
        runtime: ProvidedAl2023,
        env: { ORDERS_QUEUE_URL: orders.url, EVENTS_TOPIC_ARN: events.arn },
        grants: [orders.consume, events.publish],
    });
    resource!(LogGroup { function: api, retention_days: 14, removal: Destroy });
    resource!(Output { name: "OrdersQueueUrl", value: orders.url });
    resource!(Output { name: "OrderEventsTopicArn", value: events.arn });
    resource!(Output { name: "ApiFunctionName", value: api.name });
}

#[stack(name = "Network")]
pub fn network() {
    let vpc = resource!(Vpc { name: "network-{suffix}", max_azs: 2, nat_gateways: 0 });
    let app = resource!(SecurityGroup { name: "app-{suffix}", vpc, description: "app" });
    let db = resource!(SecurityGroup { name: "db-{suffix}", vpc, description: "db" });
    resource!(Ingress { to: db, from: app, port: 5432 });
}

#[stack(name = "Network")]
pub fn network_opened() {
    let vpc = resource!(Vpc { name: "network-{suffix}", max_azs: 2, nat_gateways: 0 });
    let app = resource!(SecurityGroup { name: "app-{suffix}", vpc, description: "app" });
    let db = resource!(SecurityGroup { name: "db-{suffix}", vpc, description: "db" });
    resource!(Ingress { to: db, from: app, port: 5432 });
    resource!(Ingress { to: db, from: app, port: 22 });
}

#[stack(name = "Status")]
pub fn status_private() {
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
}

// The same bucket opened to anyone, on purpose: the acknowledgement arrives with the opening.
#[stack(name = "Status")]
pub fn status_public() {
    #[tap::expect("TAP-PUBLIC-001", reason = "customers read the status page during an outage")]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "StatusBucket", value: page.name });
}

/// The shop app of two stacks (`data` exports, `service` imports), and the same app after
/// the service stops using the order events topic: the data stack no longer exports it.
pub mod apps {
    #[tap::app]
    pub mod shop {
        #[stack(name = "ShopData")]
        pub fn data() {
            let orders =
                resource!(Queue { name: "shop-orders-{suffix}", encryption: Kms, retention_days: 4, removal: Destroy });
            let order_events =
                resource!(Topic { name: "shop-order-events-{suffix}", encryption: Kms, enforce_tls: true });
        }

        #[stack(name = "ShopService")]
        pub fn service() {
            let api = resource!(Function {
                name: "shop-api-{suffix}",
                code: Dir("fixtures/hello"),
                runtime: ProvidedAl2023,
                env: { ORDERS_QUEUE_URL: data::orders.url, EVENTS_TOPIC_ARN: data::order_events.arn },
                grants: [data::orders.send, data::order_events.publish],
            });
            resource!(LogGroup { function: api, retention_days: 14, removal: Destroy });
            resource!(Output { name: "ApiName", value: api.name });
        }
    }

    #[tap::app]
    pub mod shop_without_events {
        #[stack(name = "ShopData")]
        pub fn data() {
            let orders =
                resource!(Queue { name: "shop-orders-{suffix}", encryption: Kms, retention_days: 4, removal: Destroy });
            let order_events =
                resource!(Topic { name: "shop-order-events-{suffix}", encryption: Kms, enforce_tls: true });
            resource!(Output { name: "OrderEventsTopicArn", value: order_events.arn, export: false });
        }

        #[stack(name = "ShopService")]
        pub fn service() {
            let api = resource!(Function {
                name: "shop-api-{suffix}",
                code: Dir("fixtures/hello"),
                runtime: ProvidedAl2023,
                env: { ORDERS_QUEUE_URL: data::orders.url },
                grants: [data::orders.send],
            });
            resource!(LogGroup { function: api, retention_days: 14, removal: Destroy });
            resource!(Output { name: "ApiName", value: api.name });
        }
    }
}

// A bucket tap empties before CloudFormation deletes it (its emptier is a custom resource,
// which the moto server does not run): an object put in it survives the stack's delete there.
#[stack(name = "Archive")]
pub fn archive() {
    let archive = resource!(Bucket {
        name: "archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "ArchiveBucketName", value: archive.name });
}
