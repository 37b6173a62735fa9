// The schema is applied on every cold start: a plain CREATE TABLE fails the second time.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 1 });
    let processor_sg = resource!(SecurityGroup { name: "inventory-processor-{suffix}", vpc: vpc, description: "Inventory processor" });
    let db_security_group = resource!(SecurityGroup { name: "product-catalog-db-{suffix}", vpc: vpc, description: "Product catalog database" });
    let endpoint_sg = resource!(SecurityGroup { name: "product-catalog-endpoints-{suffix}", vpc: vpc, description: "Interface endpoints" });
    let db_secret = resource!(Secret { name: "product-catalog-db-credentials-{suffix}", username: "postgres", removal: Destroy });
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
        credentials: db_secret,
        storage_encrypted: true,
        removal: Destroy,
        schema: "../fixtures/schema_not_idempotent.sql",
    });
    resource!(Ingress { to: db_security_group, from: processor_sg, port: 5432 });
    resource!(Ingress { to: endpoint_sg, from: processor_sg, port: 443 });
    resource!(Endpoint { vpc: vpc, service: SecretsManager, security_group: endpoint_sg });
    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        vpc: vpc,
        subnets: Private,
        security_group: processor_sg,
        env: {
            DB_SECRET_ARN: db_secret.arn,
            DB_ENDPOINT: database.endpoint,
        },
        grants: [db_secret.read],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "DbSecretArn", value: db_secret.arn });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
