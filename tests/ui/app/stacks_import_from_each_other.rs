// The data stack's loader writes to the service's audit table while the service writes to
// the data stack's orders: each stack would need the other deployed first.
#[tap::app]
pub mod shop {
    #[stack(name = "ShopData")]
    pub fn data() {
        let orders = resource!(Table {
            name: "shop-orders-{suffix}",
            partition_key: "order_id",
            encryption: Kms,
            point_in_time_recovery: false,
            deletion_protection: false,
            removal: Destroy,
        });
        let loader = resource!(Function {
            name: "shop-loader-{suffix}",
            code: Dir("../fixtures/lambda"),
            runtime: ProvidedAl2023,
            timeout_seconds: 30,
            env: { ORDERS_TABLE: orders.name, AUDIT_TABLE: service::audit.name },
            grants: [orders.write, service::audit.write],
        });
        resource!(LogGroup { function: loader, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "shop-loader-errors-{suffix}", on: loader, metric: Errors, threshold: 1 });
        resource!(Output { name: "OrdersTableName", value: orders.name });
    }

    #[stack(name = "ShopService")]
    pub fn service() {
        let audit = resource!(Table {
            name: "shop-audit-{suffix}",
            partition_key: "event_id",
            encryption: Kms,
            point_in_time_recovery: false,
            deletion_protection: false,
            removal: Destroy,
        });
        let writer = resource!(Function {
            name: "shop-writer-{suffix}",
            code: Dir("../fixtures/lambda"),
            runtime: ProvidedAl2023,
            timeout_seconds: 30,
            env: { ORDERS_TABLE: data::orders.name, AUDIT_TABLE: audit.name },
            grants: [data::orders.write, audit.write],
        });
        resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "shop-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
    }
}

fn main() {}
