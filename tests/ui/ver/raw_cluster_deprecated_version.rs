// A raw Aurora cluster on PostgreSQL 11: RDS no longer creates clusters of it (cfn-lint
// W3691), so the first deployment of a new environment fails.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::RDS::DBCluster {
        DBClusterIdentifier: "product-catalog-{suffix}",
        Engine: "aurora-postgresql",
        EngineVersion: "11.12",
        MasterUsername: "postgres",
        ManageMasterUserPassword: true,
        StorageEncrypted: true,
    });
}

fn main() {}
