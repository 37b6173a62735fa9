// PostgreSQL 16.4 was current when the seed was written; RDS now refuses to create new
// instances of it. It used to compile and pass tap, then cfn-lint warned (W3691) and the
// deployment failed. tap checks versions against the data cfn-lint ships and names the
// current ones.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let db_security_group = resource!(SecurityGroup { name: "product-catalog-db-{suffix}", vpc: vpc, description: "Product catalog database" });
    let database = resource!(Database {
        name: "product-catalog-{suffix}",
        engine: Postgres,
        engine_version: "16.4",
        instance_class: "db.t3.medium",
        allocated_storage: 20,
        database_name: "productcatalog",
        vpc: vpc,
        subnets: Private,
        security_group: db_security_group,
        storage_encrypted: true,
        removal: Destroy,
    });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
}

fn main() {}
