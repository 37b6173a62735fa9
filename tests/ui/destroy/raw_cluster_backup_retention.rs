// Seed mistake 5 on a raw Aurora cluster: a week of automated backups that outlive an
// ephemeral environment. tap writes the least a cluster accepts (1 day) when it is left out.
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
        BackupRetentionPeriod: 7,
    });
}

fn main() {}
