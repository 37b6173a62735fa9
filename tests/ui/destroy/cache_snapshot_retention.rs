// Seed mistake 6: `snapshot_retention_limit=5` keeps Redis snapshots after deletion.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let cache_security_group = resource!(SecurityGroup { name: "product-catalog-cache-{suffix}", vpc: vpc, description: "Redis cache" });
    let cache_token = resource!(Secret { name: "product-catalog-cache-token-{suffix}", username: "default", removal: Destroy });
    let redis_cluster = resource!(Cache {
        name: "product-catalog-{suffix}",
        engine: Redis,
        engine_version: "7.1",
        node_type: "cache.t3.micro",
        vpc: vpc,
        subnets: Private,
        security_group: cache_security_group,
        snapshot_retention: 5,
        at_rest_encryption: true,
        transit_encryption: true,
        auth: cache_token,
        removal: Destroy,
    });
    resource!(Output { name: "RedisEndpoint", value: redis_cluster.endpoint });
    resource!(Output { name: "CacheTokenArn", value: cache_token.arn });
}

fn main() {}
