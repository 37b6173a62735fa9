// Seed mistake 3: `deletion_protection=True` makes the stack impossible to delete.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
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
        deletion_protection: true,
        removal: Destroy,
    });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
}

fn main() {}
