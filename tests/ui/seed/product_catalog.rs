// The seed's CDK stack (`lib/tap_stack.py`) written in tap, one resource per seed resource,
// every documented mistake kept. One `cargo check` shows every rule it breaks: a malformed
// line (the seed's `credentials=`, which tap does not have) is reported and the rest of the
// stack is still judged. The seed's Redis is a `CfnCacheCluster`, so it is written raw, as
// the seed wrote it; its IAM role is not written (tap refuses IAM types: roles come from
// grants), and its one grant, `archive_bucket.grant_write`, is the function's only grant.
//
// tests/ui.rs holds this case to what it teaches: 45 errors, 15 distinct rule ids (and the
// malformed line), in one pass.
use tap::prelude::*;

#[stack(name = "TapStack")]
pub fn tap_stack() {
    // Mistake 1: no environment suffix, on every name.
    let vpc = resource!(Vpc { name: "ProductCatalogVPC", max_azs: 2, nat_gateways: 1 });

    // Mistake 18: no encryption.
    let inventory_stream = resource!(Stream { name: "inventory-updates-stream", shards: 2 });

    // Mistakes 2 and 16: RETAIN, and Glacier after 90 days but no expiration.
    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive",
        removal: Retain,
        glacier_after_days: 90,
    });

    let db_secret = resource!(Secret { name: "product-catalog-db-credentials", username: "postgres" });

    let db_security_group = resource!(SecurityGroup { name: "DBSecurityGroup", vpc: vpc, description: "Security group for product catalog database" });

    // Mistakes 3, 4 and 5; PostgreSQL 14, deprecated; the master credentials from a secret
    // the stack owns (tap: RDS owns the master password, so `credentials` is unknown).
    let database = resource!(Database {
        name: "ProductCatalogDB",
        engine: Postgres,
        engine_version: "14.17",
        instance_class: "db.t3.medium",
        allocated_storage: 20,
        database_name: "productcatalog",
        vpc: vpc,
        subnets: Private,
        security_group: db_security_group,
        credentials: db_secret,
        backup_retention_days: 7,
        deletion_protection: true,
        removal: Snapshot,
    });

    let cache_security_group = resource!(SecurityGroup { name: "CacheSecurityGroup", vpc: vpc, description: "Security group for Redis cache" });

    let cache_subnet_group = resource!(AWS::ElastiCache::SubnetGroup {
        Description: "Subnet group for Redis cache",
        SubnetIds: ["subnet-private-a", "subnet-private-b"],
    });

    // Mistakes 6 and 18: snapshots kept, and a cache cluster cannot encrypt at rest.
    let redis_cluster = resource!(AWS::ElastiCache::CacheCluster {
        CacheNodeType: "cache.t3.micro",
        Engine: "redis",
        NumCacheNodes: 1,
        VpcSecurityGroupIds: [cache_security_group.id],
        CacheSubnetGroupName: cache_subnet_group,
        SnapshotRetentionLimit: 5,
    });

    // Mistakes 8, 9, 10 and 14: inline code on Python 3.9 (deprecated), no grant for the
    // stream or the secret, not in the VPC. Mistake 12, the handler's `host='localhost'`
    // and `password='password123'`, is written where a tap stack would hand it over.
    let processor_function = resource!(Function {
        name: "InventoryProcessor",
        runtime: Python39,
        handler: "index.handler",
        code: Inline("import json\ndef handler(event, context):\n    for record in event['Records']:\n        payload = json.loads(record['kinesis']['data'])\n        print(payload)\n    return {'statusCode': 200}\n"),
        env: {
            DB_SECRET_ARN: db_secret.arn,
            REDIS_ENDPOINT: redis_cluster.RedisEndpoint,
            ARCHIVE_BUCKET: archive_bucket.name,
            DB_HOST: "localhost",
            DB_PASSWORD: "password123",
        },
        timeout_seconds: 60,
        grants: [archive_bucket.write],
    });

    // Mistake 15: no retries, no bisect, no failure destination.
    resource!(EventSource { stream: inventory_stream, target: processor_function, starting_position: Latest, batch_size: 100 });

    // Mistake 7: RETAIN on the log group (and no retention).
    resource!(LogGroup { function: processor_function, removal: Retain });

    // Mistake 11: no ingress rules; 17: no outputs; 19: no schema; README 9 and 10: no VPC
    // endpoints, no alarms: nothing written, so nothing here.
}

fn main() {}
