//! The inventory processor: for each Kinesis record, upsert PostgreSQL (sequence-guarded,
//! so replays change nothing), then invalidate the Redis key; archive each handled run to
//! S3; quarantine what can never succeed to SQS. Configuration comes only from the stack's
//! typed bindings (`crate::product_catalog::processor::Env`); the database login is an IAM
//! token for its own user, the cache's AUTH token is read from Secrets Manager once per
//! cold start. Every AWS call goes through the function's `Handles`, typed
//! by the grants the stack gives it: the archive bucket is `Bucket<Write>`, so the code
//! can put objects and nothing else, and changing the grant to `read` stops the build.

pub mod cache;
pub mod db;
pub mod local;
pub mod sink;
pub mod update;

use std::sync::atomic::{AtomicU64, Ordering};

use tap::bindings::Endpoint;
use tap::database::{Credentials, DbError, Login};
use tap::runtime::{BoxError, Record, RecordError, Report, Sink, WireEvent, WireRecord};

use crate::product_catalog::processor::{Env, Handles};
pub use update::InventoryUpdate;

/// Records in flight at once within a batch; their database effects are issued in order
/// on the one connection (pipelined), which is what makes large batches fast.
pub const CONCURRENCY: usize = 64;

/// Why the processor could not start or finish a batch. The binding and database errors
/// are kept as the sources they are (`BindingError` names the variable, `DbError` keeps
/// the SQLSTATE the retry logic reads).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("configuration: {0}")]
    Binding(#[from] tap::bindings::BindingError),
    #[error("{0}")]
    Secret(String),
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("cache: {0}")]
    Cache(String),
}

/// Plain AWS clients, for what is not the function's own doing: creating the local stand-ins
/// of the stack's resources ([`local::provision`]) and the tests' checks.
#[derive(Clone)]
pub struct Clients {
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
}

impl Clients {
    pub fn new(config: &aws_config::SdkConfig) -> Clients {
        // Path-style addressing only where an endpoint is overridden (a local emulator).
        let s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(config.endpoint_url().is_some()).build();
        Clients {
            s3: aws_sdk_s3::Client::from_conf(s3),
            sqs: aws_sdk_sqs::Client::new(config),
            secrets: aws_sdk_secretsmanager::Client::new(config),
        }
    }
}

/// Counters across invocations of one execution environment.
#[derive(Debug, Default)]
pub struct Counters {
    /// Upserts that changed a row (a replayed or stale record changes none).
    pub rows_changed: AtomicU64,
}

pub struct Processor {
    env: Env,
    handles: Handles,
    db: db::Db,
    cache: cache::Cache,
    pub counters: Counters,
}

impl Processor {
    /// Cold start as deployed: logs in to the database as its user with IAM tokens minted
    /// from the function's role, reads the cache token once, and opens the cache. Any
    /// failure here is an init error naming what is missing.
    pub async fn start(env: Env, sdk: &aws_config::SdkConfig) -> Result<Processor, Error> {
        let login = Login::Iam(tap::database::token::Signer::from_sdk(sdk).map_err(Error::Db)?);
        Processor::start_with(env, sdk, login).await
    }

    /// [`Processor::start`] with another login: a local PostgreSQL cannot check IAM tokens,
    /// so the local pipeline and the tests log in with the user's password.
    pub async fn start_with(env: Env, sdk: &aws_config::SdkConfig, login: Login) -> Result<Processor, Error> {
        let handles = Handles::new(&env, sdk);
        Processor::open(env, handles, login).await
    }

    /// [`Processor::start_with`] with the handles given (a test breaks one of them).
    pub async fn open(env: Env, handles: Handles, login: Login) -> Result<Processor, Error> {
        // The cache token first: a cold start that cannot read it stops before the database.
        let token = read_secret(&handles.cache_token, "cache token secret").await?;
        let target = db::target(&Endpoint::new(&env.db_endpoint, &env.db_port), &env.db_name, &env.db_user);
        let db = db::Db::open(target, login).await?;
        let cache = cache::Cache::open(&Endpoint::new(&env.redis_endpoint, &env.redis_port), &token).await?;
        Ok(Processor { env, handles, db, cache, counters: Counters::default() })
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The per-record function: upsert, then invalidate the cache key after the commit.
    pub async fn handle(&self, record: Record<InventoryUpdate>) -> Result<(), RecordError> {
        let conn = self.db.conn().await.map_err(RecordError::retry)?;
        let u = &record.data;
        let changed = conn
            .client
            .execute(&conn.upsert, &[&u.product_id, &u.inventory, &record.sequence_number, &record.shard_id])
            .await
            .map_err(classify)?;
        self.counters.rows_changed.fetch_add(changed, Ordering::Relaxed);
        // Invalidate even when nothing changed: a retry after a cache failure must still
        // clear the key the first attempt committed but could not invalidate.
        self.cache.invalidate(&update::cache_key(&u.product_id)).await.map_err(RecordError::retry)?;
        Ok(())
    }

    /// One batch, as the Lambda event source delivers it.
    pub async fn process(&self, event: &WireEvent) -> Report {
        tap::runtime::process(event, &|r| self.handle(r), self, CONCURRENCY).await
    }
}

/// A `{username, password}` secret the function was granted; `what` and the ARN the stack
/// bound name it in errors.
async fn read_secret(secret: &tap::aws::Secret<tap::aws::access::Read>, what: &str) -> Result<Credentials, Error> {
    let arn = secret.id();
    let value = secret.get_secret_value().send().await.map_err(|e| {
        Error::Secret(format!("{what}: cannot read {arn}: {}", aws_sdk_secretsmanager::error::DisplayErrorContext(&e)))
    })?;
    Credentials::from_secret_value(arn, &value).map_err(|e| Error::Secret(format!("{what}: {e}")))
}

/// A database error on valid input is transient (connection, timeout, server going away),
/// except data and integrity errors, which no retry can fix.
fn classify(e: tokio_postgres::Error) -> RecordError {
    let e = DbError::new("upsert", &e);
    if e.is_data() {
        RecordError::Reject(format!("database rejected the record: {e}"))
    } else {
        RecordError::retry(format!("database: {e}"))
    }
}

impl Sink for Processor {
    async fn quarantine(&self, record: &WireRecord, reason: &str) -> Result<(), BoxError> {
        log(
            serde_json::json!({ "level": "warn", "event": "quarantined", "sequence_number": record.kinesis.sequence_number, "reason": reason }),
        );
        self.handles
            .quarantine_queue
            .send_message()
            .message_body(sink::quarantine_body(record, reason))
            .send()
            .await
            .map(drop)
            .map_err(|e| sink::boxed(aws_sdk_sqs::error::DisplayErrorContext(e)))
    }

    async fn archive(&self, records: &[WireRecord]) -> Result<(), BoxError> {
        let Some(key) = sink::archive_key(records) else { return Ok(()) };
        self.handles
            .archive_bucket
            .put_object()
            .key(key)
            .content_type("application/x-ndjson")
            .body(sink::archive_body(records).into())
            .send()
            .await
            .map(drop)
            .map_err(|e| sink::boxed(aws_sdk_s3::error::DisplayErrorContext(e)))
    }
}

/// One structured log line (JSON, as the function's LogFormat expects).
pub fn log(line: serde_json::Value) {
    println!("{line}");
}

/// The per-batch metric line, in CloudWatch embedded metric format.
pub fn metric_line(report: &Report, millis: f64, function: &str) -> serde_json::Value {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    serde_json::json!({
        "_aws": { "Timestamp": now as u64, "CloudWatchMetrics": [{
            "Namespace": "ProductCatalog",
            "Dimensions": [["FunctionName"]],
            "Metrics": [
                { "Name": "RecordsReceived", "Unit": "Count" },
                { "Name": "RecordsApplied", "Unit": "Count" },
                { "Name": "RecordsQuarantined", "Unit": "Count" },
                { "Name": "BatchRetried", "Unit": "Count" },
                { "Name": "BatchMillis", "Unit": "Milliseconds" },
            ],
        }]},
        "FunctionName": function,
        "RecordsReceived": report.received,
        "RecordsApplied": report.applied,
        "RecordsQuarantined": report.quarantined,
        "BatchRetried": u8::from(report.retry_from.is_some()),
        "BatchMillis": millis,
        "retry_from": report.retry_from,
        "error": report.error,
    })
}
