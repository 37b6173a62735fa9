// Seed mistake 18 on a raw Aurora cluster: `StorageEncrypted: false` leaves the database's
// storage, its backups and its snapshots unencrypted.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::RDS::DBCluster {
        DBClusterIdentifier: "product-catalog-{suffix}",
        Engine: "aurora-postgresql",
        EngineVersion: "17.4",
        MasterUsername: "postgres",
        ManageMasterUserPassword: true,
        StorageEncrypted: false,
    });
}

fn main() {}
