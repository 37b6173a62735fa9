// A cache's AUTH token comes from a secret; a generated password with punctuation may hold
// '/', '"' or '@', which ElastiCache refuses in a token, and the deploy fails late.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let cache_security_group = resource!(SecurityGroup { name: "product-catalog-cache-{suffix}", vpc: vpc, description: "Redis cache" });
    let cache_token = resource!(Secret { name: "product-catalog-cache-token-{suffix}", username: "default", exclude_punctuation: false, removal: Destroy });
    let redis_cluster = resource!(Cache {
        name: "product-catalog-{suffix}",
        engine: Redis,
        engine_version: "7.1",
        node_type: "cache.t3.micro",
        vpc: vpc,
        subnets: Private,
        security_group: cache_security_group,
        at_rest_encryption: true,
        transit_encryption: true,
        auth: cache_token,
        removal: Destroy,
    });
    resource!(Output { name: "RedisEndpoint", value: redis_cluster.endpoint });
    resource!(Output { name: "CacheTokenArn", value: cache_token.arn });
}

fn main() {}
