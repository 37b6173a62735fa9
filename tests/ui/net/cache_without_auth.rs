// Security review (issue 11): the seed's Redis has no AUTH token, so anything that reaches
// port 6379 inside the security group can read and write every key.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 0 });
    let cache_security_group = resource!(SecurityGroup { name: "product-catalog-cache-{suffix}", vpc: vpc, description: "Redis cache" });
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
        removal: Destroy,
    });
    resource!(Output { name: "RedisEndpoint", value: redis_cluster.endpoint });
}

fn main() {}
