// Seed mistake 6 on a raw serverless cache: five days of snapshots that persist after an
// ephemeral environment is deleted.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::ElastiCache::ServerlessCache {
        ServerlessCacheName: "product-catalog-{suffix}",
        Engine: "valkey",
        SnapshotRetentionLimit: 5,
    });
}

fn main() {}
