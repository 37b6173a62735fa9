// A raw database cluster made reachable from the internet: its endpoint gets a public
// address, and the password is all that stands between it and everyone.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::RDS::DBCluster {
        DBClusterIdentifier: "product-catalog-{suffix}",
        Engine: "postgres",
        EngineVersion: "17.11",
        DBClusterInstanceClass: "db.m6gd.large",
        AllocatedStorage: 100,
        StorageType: "io1",
        Iops: 1000,
        MasterUsername: "postgres",
        ManageMasterUserPassword: true,
        StorageEncrypted: true,
        PubliclyAccessible: true,
    });
}

fn main() {}
