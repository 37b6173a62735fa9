// The data stack's table was renamed to `purchases` while the service still writes to
// `data::orders`. Deploying the data stack would remove the export the service imports
// (CloudFormation refuses, and the two stacks deadlock): refused at the reference.
#[tap::app]
pub mod shop {
    #[stack(name = "ShopData")]
    pub fn data() {
        let purchases = resource!(Table {
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
            env: { ORDERS_TABLE: purchases.name },
            grants: [purchases.write],
        });
        resource!(LogGroup { function: loader, retention_days: 14, removal: Destroy });
        resource!(Alarm { name: "shop-loader-errors-{suffix}", on: loader, metric: Errors, threshold: 1 });
        resource!(Output { name: "OrdersTableName", value: purchases.name });
    }

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
}

fn main() {}
