// Seed mistake 18, written as raw CloudFormation: the seed's `CfnCacheCluster` running Redis
// cannot encrypt at rest (a cache cluster has no such setting), so it cannot hold data in a
// tap stack. The kind `Cache` is an encrypted replication group with AUTH.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    resource!(AWS::ElastiCache::CacheCluster {
        ClusterName: "product-catalog-{suffix}",
        CacheNodeType: "cache.t3.micro",
        Engine: "redis",
        NumCacheNodes: 1,
    });
}

fn main() {}
