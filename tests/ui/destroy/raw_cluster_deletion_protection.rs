// Seed mistake 3 on a raw Aurora cluster: deletion protection makes `delete-stack` fail, so
// an ephemeral environment can never be torn down. tap writes it off when it is left out.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::RDS::DBCluster {
        DBClusterIdentifier: "product-catalog-{suffix}",
        Engine: "aurora-postgresql",
        EngineVersion: "17.4",
        MasterUsername: "postgres",
        ManageMasterUserPassword: true,
        StorageEncrypted: true,
        DeletionProtection: true,
    });
}

fn main() {}
