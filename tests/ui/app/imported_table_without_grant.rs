// The service reads the data stack's table name but holds no grant on the table:
// TAP-IAM-001 judges another stack's resource as it judges one of its own.
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
            env: { ORDERS_TABLE: orders.name },
            grants: [orders.write],
        });
        resource!(LogGroup { function: loader, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "shop-loader-errors-{suffix}", on: loader, metric: Errors, threshold: 1 });
        resource!(Output { name: "OrdersTableName", value: orders.name });
    }

    #[stack(name = "ShopService")]
    pub fn service() {
        let writer = resource!(Function {
            name: "shop-writer-{suffix}",
            code: Dir("../fixtures/lambda"),
            runtime: ProvidedAl2023,
            timeout_seconds: 30,
            env: { ORDERS_TABLE: data::orders.name },
            grants: [],
        });
        resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "shop-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
    }
}

fn main() {}
