// A durable raw Aurora cluster with one day of automated backups: a bad migration found on
// Monday cannot be undone. tap keeps a week when it is left out.
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
        BackupRetentionPeriod: 1,
    });
}

fn main() {}
