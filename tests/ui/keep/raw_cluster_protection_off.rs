// The durable side of seed mistake 3, on a raw Aurora cluster: a production database one
// `delete-stack` away from gone. tap turns deletion protection on when it is left out.
use tap::prelude::*;

#[stack(name = "ProductCatalog", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn product_catalog() {
    resource!(AWS::RDS::DBCluster {
        DBClusterIdentifier: "product-catalog-{suffix}",
        Engine: "aurora-postgresql",
        EngineVersion: "17.4",
        MasterUsername: "postgres",
        ManageMasterUserPassword: true,
        StorageEncrypted: true,
        DeletionProtection: false,
    });
}

fn main() {}
