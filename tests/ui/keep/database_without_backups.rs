// The seed's own fix for mistake 5 (`backup_retention_days: 0`) is wrong for production: a
// stack that also deploys durably cannot write it (cdk-nag's RDS13: keep backups).
use tap::prelude::*;

#[stack(name = "ProductCatalog", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let db_security_group = resource!(SecurityGroup { name: "product-catalog-db-{suffix}", vpc: vpc, description: "Product catalog database" });
    let database = resource!(Database {
        name: "product-catalog-{suffix}",
        engine: Postgres,
        engine_version: "17.7",
        instance_class: "db.t3.medium",
        allocated_storage: 20,
        database_name: "productcatalog",
        vpc: vpc,
        subnets: Private,
        security_group: db_security_group,
        storage_encrypted: true,
        backup_retention_days: 0,
    });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
}

fn main() {}
