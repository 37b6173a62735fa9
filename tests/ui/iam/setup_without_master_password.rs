// The function named as the database users' `setup` has no `database.admin`: it cannot read
// the master password, so it could not log in to create the processor's user, and the deploy
// would fail waiting for it. It binds `database.master_secret` and holds `database.admin`.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 1 });
    let processor_sg = resource!(SecurityGroup { name: "inventory-processor-{suffix}", vpc: vpc, description: "Inventory processor" });
    let db_security_group = resource!(SecurityGroup { name: "product-catalog-db-{suffix}", vpc: vpc, description: "Product catalog database" });
    let endpoint_sg = resource!(SecurityGroup { name: "product-catalog-endpoints-{suffix}", vpc: vpc, description: "Interface endpoints" });
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
        removal: Destroy,
        schema: "../fixtures/schema.sql",

    });
    let db_setup = resource!(Function {
        name: "product-catalog-db-setup-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        vpc: vpc,
        subnets: Private,
        security_group: processor_sg,
    });
    resource!(LogGroup { function: db_setup, retention_days: 14, removal: Destroy });
    let processor_login = resource!(DatabaseUser { database: database, user: "inventory_processor", access: ReadWrite, setup: db_setup });
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
            DB_USER: processor_login.name,
            DB_ENDPOINT: database.endpoint,
        },
        grants: [processor_login.connect],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(Output { name: "DbSetupFunctionName", value: db_setup.name });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
