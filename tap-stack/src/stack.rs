// The product-catalog pipeline: Kinesis -> Lambda -> RDS PostgreSQL + ElastiCache Redis,
// with an S3 archive, a quarantine queue and a failure queue. It is the seed's CDK stack
// with every documented mistake fixed; `#[stack]` rejects any of them coming back.
//
// It supports both lifecycles. A per-PR or test environment (any suffix but `prod` and
// `staging`) is ephemeral: `delete-stack` removes everything, the bucket emptied first. A
// `prod` or `staging` environment is durable: the database is snapshotted and protected,
// with a week of backups; the bucket is versioned and kept; the stream, secret, queues and
// log group are kept. Nothing here says which: tap derives every such setting from the
// lifecycle (writing one would contradict one of them), and `cargo build` writes one
// template per lifecycle with its delete plan. Only the cache opts out of being kept.
//
// This file is compiled twice: into the library (so the processor's typed bindings come
// from it) and into build.rs (which writes the templates). Keep one property per line:
// the mutation test edits this file line by line.

use tap::prelude::*;

#[stack(name = "ProductCatalog", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod", "staging"])]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 1 });

    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms });

    let archive_bucket = resource!(Bucket {
        name: "product-inventory-archive-{suffix}",
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        glacier_after_days: 90,
        expire_after_days: 1095,
    });

    let cache_token = resource!(Secret {
        name: "product-catalog-cache-token-{suffix}",
        username: "default",
        password_length: 64,
        disposable: "the cache's AUTH token: the cache it guards is not kept either",
    });

    let processor_sg = resource!(SecurityGroup {
        name: "inventory-processor-{suffix}",
        vpc: vpc,
        description: "Inventory processor Lambda",
    });

    let db_security_group = resource!(SecurityGroup {
        name: "product-catalog-db-{suffix}",
        vpc: vpc,
        description: "Product catalog database",
    });

    let cache_security_group =
        resource!(SecurityGroup { name: "product-catalog-cache-{suffix}", vpc: vpc, description: "Redis cache" });

    let db_setup_sg = resource!(SecurityGroup {
        name: "product-catalog-db-setup-{suffix}",
        vpc: vpc,
        description: "Database setup function",
    });

    let endpoint_sg = resource!(SecurityGroup {
        name: "product-catalog-endpoints-{suffix}",
        vpc: vpc,
        description: "Interface VPC endpoints",
    });

    resource!(Ingress { to: db_security_group, from: processor_sg, port: 5432 });
    resource!(Ingress { to: cache_security_group, from: processor_sg, port: 6379 });
    resource!(Ingress { to: endpoint_sg, from: processor_sg, port: 443 });
    resource!(Ingress { to: db_security_group, from: db_setup_sg, port: 5432 });
    resource!(Ingress { to: endpoint_sg, from: db_setup_sg, port: 443 });

    resource!(Endpoint { vpc, service: S3 });
    resource!(Endpoint { vpc, service: SecretsManager, security_group: endpoint_sg });

    let database = resource!(Database {
        name: "product-catalog-{suffix}",
        engine: Postgres,
        engine_version: "17.7",
        instance_class: "db.t3.medium",
        allocated_storage: 20,
        database_name: "productcatalog",
        vpc: vpc,
        subnets: Private,
        security_group: db_security_group,
        storage_encrypted: true,
        schema: "../sql/schema.sql",
    });

    // Applies the schema and creates the processor's login, as the master user: the one
    // function that may read the master password (TAP-IAM-004).
    let db_setup = resource!(Function {
        name: "product-catalog-db-setup-{suffix}",
        code: Bin("db-setup"),
        runtime: ProvidedAl2023,
        memory: 256,
        timeout_seconds: 120,
        vpc: vpc,
        subnets: Private,
        security_group: db_setup_sg,
        env: {
            DB_MASTER_SECRET_ARN: database.master_secret,
        },
        grants: [
            database.admin,
        ],
    });

    resource!(LogGroup { function: db_setup, retention_days: 14 });

    let processor_login =
        resource!(DatabaseUser { database: database, user: "inventory_processor", access: ReadWrite, setup: db_setup });

    let redis_cluster = resource!(Cache {
        name: "product-catalog-{suffix}",
        engine: Redis,
        engine_version: "7.1",
        node_type: "cache.t3.micro",
        vpc: vpc,
        subnets: Private,
        security_group: cache_security_group,
        snapshot_retention: 0,
        disposable: "a cache: rebuilt from the database on a miss, never worth keeping",
        at_rest_encryption: true,
        transit_encryption: true,
        auth: cache_token,
    });

    let failure_queue =
        resource!(Queue { name: "inventory-failures-{suffix}", encryption: SqsManaged, retention_days: 14 });

    let quarantine_queue =
        resource!(Queue { name: "inventory-quarantine-{suffix}", encryption: SqsManaged, retention_days: 14 });

    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Bin("inventory-processor"),
        runtime: ProvidedAl2023,
        memory: 512,
        timeout_seconds: 60,
        vpc: vpc,
        subnets: Private,
        security_group: processor_sg,
        egress_via_nat: [Sqs],
        env: {
            DB_USER: processor_login.name,
            DB_ENDPOINT: database.endpoint,
            DB_PORT: database.port,
            DB_NAME: database.name,
            REDIS_ENDPOINT: redis_cluster.endpoint,
            REDIS_PORT: redis_cluster.port,
            REDIS_AUTH_SECRET_ARN: cache_token.arn,
            ARCHIVE_BUCKET: archive_bucket.name,
            QUARANTINE_QUEUE_URL: quarantine_queue.url,
        },
        grants: [
            processor_login.connect,
            cache_token.read,
            archive_bucket.write,
            quarantine_queue.send,
            inventory_stream.read,
            failure_queue.send,
        ],
    });

    resource!(LogGroup { function: processor, retention_days: 14 });

    resource!(EventSource {
        stream: inventory_stream,
        target: processor,
        batch_size: 100,
        starting_position: TrimHorizon,
        retries: 3,
        bisect_on_error: true,
        max_record_age_seconds: 3600,
        on_failure: failure_queue,
        report_batch_item_failures: true,
    });

    resource!(Alarm { name: "inventory-processor-errors-{suffix}", on: processor, metric: Errors, threshold: 1 });

    resource!(Alarm {
        name: "inventory-processor-iterator-age-{suffix}",
        on: processor,
        metric: IteratorAge,
        threshold: 60000,
    });

    resource!(Alarm { name: "inventory-failures-depth-{suffix}", on: failure_queue, metric: QueueDepth, threshold: 1 });

    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
    resource!(Output { name: "ArchiveBucketName", value: archive_bucket.name });
    resource!(Output { name: "DbSetupFunctionName", value: db_setup.name });
    resource!(Output { name: "CacheTokenArn", value: cache_token.arn });
    resource!(Output { name: "DatabaseEndpoint", value: database.endpoint });
    resource!(Output { name: "RedisEndpoint", value: redis_cluster.endpoint });
    resource!(Output { name: "FailureQueueUrl", value: failure_queue.url });
    resource!(Output { name: "QuarantineQueueUrl", value: quarantine_queue.url });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}
