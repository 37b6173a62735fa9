//! A local stand-in for the Lambda event source mapping: polls a Kinesis stream (the
//! emulator's, or a real one) and feeds the processor as the mapping would: batches of
//! `batch_size` from TRIM_HORIZON, a batch item failure retried from its sequence number,
//! and after `max_retries` the failed batch sent to the failure queue and skipped (the
//! stack's `retries: 3` and `on_failure`).
//!
//! Its clients stand for the function's role, as the mapping's do: it makes the calls AWS
//! lists for a Kinesis event source (`DescribeStream`, `DescribeStreamSummary`,
//! `ListShards`, `GetShardIterator`, `GetRecords`) and the on-failure `SendMessage`, so the
//! IAM-enforcing emulator test judges the stream grant by the same calls.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_kinesis::types::ShardIteratorType;
use base64::Engine;
use tap::runtime::{BoxError, Report, WireEvent, WireKinesis, WireRecord};

use super::{Clients, Processor};

#[derive(Clone, Debug)]
pub struct Options {
    pub stream: String,
    pub batch_size: i32,
    pub max_retries: u32,
    pub failure_queue_url: Option<String>,
    /// Stop after this many consecutive polls that found nothing on any shard.
    pub idle_polls: u32,
    pub poll_interval: Duration,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    pub batches: u64,
    pub records: u64,
    pub applied: u64,
    pub quarantined: u64,
    pub retries: u64,
    pub failed_batches: u64,
    /// Each distinct error a batch stopped on, in the order first seen.
    pub errors: Vec<String>,
}

impl Stats {
    /// Adds one batch's report.
    fn count(&mut self, report: &Report) {
        self.batches += 1;
        self.records += report.received as u64;
        self.applied += report.applied as u64;
        self.quarantined += report.quarantined as u64;
        if let Some(e) = &report.error {
            if !self.errors.contains(e) {
                self.errors.push(e.clone());
            }
        }
    }
}

struct Shard {
    iterator: Option<String>,
    attempts: u32,
}

impl Shard {
    /// On to the next batch.
    fn advance(&mut self, next: Option<String>) {
        self.iterator = next;
        self.attempts = 0;
    }
}

pub async fn run(
    processor: &Processor,
    kinesis: &aws_sdk_kinesis::Client,
    sqs: &aws_sdk_sqs::Client,
    opts: &Options,
) -> Result<Stats, BoxError> {
    let (source_arn, mut shards) = open(kinesis, &opts.stream).await?;
    let mut stats = Stats::default();
    let mut idle = 0;
    while idle < opts.idle_polls {
        let mut found = false;
        for (shard_id, shard) in shards.iter_mut() {
            let Some(iterator) = shard.iterator.clone() else { continue };
            let got = kinesis
                .get_records()
                .shard_iterator(iterator)
                .limit(opts.batch_size)
                .send()
                .await
                .map_err(kinesis_error)?;
            let next = got.next_shard_iterator().map(str::to_owned);
            if got.records().is_empty() {
                shard.iterator = next;
                continue;
            }
            found = true;
            let event = WireEvent { records: got.records().iter().map(|r| wire(shard_id, &source_arn, r)).collect() };
            let started = Instant::now();
            let report = processor.process(&event).await;
            super::log(super::metric_line(&report, started.elapsed().as_secs_f64() * 1e3, "local-pipeline"));
            stats.count(&report);
            match &report.retry_from {
                None => shard.advance(next),
                Some(seq) if shard.attempts < opts.max_retries => {
                    shard.attempts += 1;
                    stats.retries += 1;
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(shard.attempts))).await;
                    shard.iterator = iterator_at(kinesis, &opts.stream, shard_id, seq).await?;
                }
                Some(seq) => {
                    // Retries exhausted: the mapping sends the batch's coordinates to its
                    // on-failure destination and moves on.
                    stats.failed_batches += 1;
                    if let Some(url) = &opts.failure_queue_url {
                        send_failure(sqs, url, opts, shard_id, seq, &event, &report).await?;
                    }
                    shard.advance(next);
                }
            }
        }
        if found {
            idle = 0;
        } else {
            idle += 1;
            tokio::time::sleep(opts.poll_interval).await;
        }
    }
    Ok(stats)
}

/// Like the mapping: refuses a stream that is not active, and opens each shard at
/// TRIM_HORIZON. Returns the stream's ARN (each record's `eventSourceARN`) and the shards.
async fn open(kinesis: &aws_sdk_kinesis::Client, stream: &str) -> Result<(String, BTreeMap<String, Shard>), BoxError> {
    let summary = kinesis.describe_stream_summary().stream_name(stream).send().await.map_err(kinesis_error)?;
    let status =
        summary.stream_description_summary().map(|s| s.stream_status().as_str().to_owned()).unwrap_or_default();
    if status != "ACTIVE" && status != "UPDATING" {
        return Err(format!("stream {stream} is {status}, not ACTIVE").into());
    }
    let described = kinesis.describe_stream().stream_name(stream).send().await.map_err(kinesis_error)?;
    let source_arn = described.stream_description().map(|d| d.stream_arn().to_owned()).unwrap_or_default();
    let mut shards = BTreeMap::new();
    let listed = kinesis.list_shards().stream_name(stream).send().await.map_err(kinesis_error)?;
    for shard in listed.shards() {
        let it = kinesis
            .get_shard_iterator()
            .stream_name(stream)
            .shard_id(shard.shard_id())
            .shard_iterator_type(ShardIteratorType::TrimHorizon)
            .send()
            .await
            .map_err(kinesis_error)?;
        shards.insert(
            shard.shard_id().to_owned(),
            Shard { iterator: it.shard_iterator().map(str::to_owned), attempts: 0 },
        );
    }
    Ok((source_arn, shards))
}

/// An iterator at the record a batch must be retried from.
async fn iterator_at(
    kinesis: &aws_sdk_kinesis::Client,
    stream: &str,
    shard_id: &str,
    seq: &str,
) -> Result<Option<String>, BoxError> {
    let it = kinesis
        .get_shard_iterator()
        .stream_name(stream)
        .shard_id(shard_id)
        .shard_iterator_type(ShardIteratorType::AtSequenceNumber)
        .starting_sequence_number(seq)
        .send()
        .await
        .map_err(kinesis_error)?;
    Ok(it.shard_iterator().map(str::to_owned))
}

/// The failed batch's coordinates, to the on-failure queue (the mapping's message).
async fn send_failure(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    opts: &Options,
    shard_id: &str,
    seq: &str,
    event: &WireEvent,
    report: &Report,
) -> Result<(), BoxError> {
    let body = serde_json::json!({
        "shard_id": shard_id,
        "start_sequence_number": seq,
        "end_sequence_number": event.records.last().map(|r| r.kinesis.sequence_number.clone()),
        "stream": opts.stream,
        "error": report.error,
    });
    sqs.send_message()
        .queue_url(url)
        .message_body(body.to_string())
        .send()
        .await
        .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
    Ok(())
}

fn kinesis_error<E: std::error::Error + 'static>(e: E) -> BoxError {
    aws_sdk_kinesis::error::DisplayErrorContext(e).to_string().into()
}

/// Where the local PostgreSQL and Redis listen, and the database user (from
/// `scripts/services start`).
#[derive(Clone, Debug)]
pub struct LocalServices {
    pub pg_port: u16,
    /// The local superuser: the stand-in for the master user, which only setup uses.
    pub pg_user: String,
    pub pg_password: String,
    pub redis_port: u16,
    /// The password Redis requires (the stand-in for the cache's AUTH token).
    pub redis_password: String,
}

impl LocalServices {
    /// From the variables `scripts/services start` writes (`TAP_PG_PORT`, `TAP_PG_USER`,
    /// `TAP_PG_PASSWORD`, `TAP_REDIS_PORT`, `TAP_REDIS_PASSWORD`); the error names the one
    /// missing or malformed.
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<LocalServices, String> {
        let var = |k: &str| {
            get(k).ok_or_else(|| {
                format!("{k} is not set: start the services with `scripts/services start` (see .state/services.env)")
            })
        };
        let port = |k: &str| var(k)?.parse::<u16>().map_err(|e| format!("{k} is not a port: {e}"));
        Ok(LocalServices {
            pg_port: port("TAP_PG_PORT")?,
            pg_user: var("TAP_PG_USER")?,
            pg_password: var("TAP_PG_PASSWORD")?,
            redis_port: port("TAP_REDIS_PORT")?,
            redis_password: var("TAP_REDIS_PASSWORD")?,
        })
    }
}

/// The processor's database user, as the stack declares it (`DatabaseUser`).
pub const DB_USER: &str = "inventory_processor";

/// The password the local user gets: PostgreSQL on loopback cannot check the IAM tokens a
/// deployed processor logs in with, so locally the user has a password instead of
/// `rds_iam`. Loopback only, never deployed.
pub const LOCAL_DB_PASSWORD: &str = "tap-local-only-processor";

/// The variable [`provision`] returns the local login secret's ARN in (not one of the
/// stack's bindings: a deployed processor has no password).
pub const LOCAL_LOGIN_SECRET: &str = "TAP_LOCAL_DB_LOGIN_SECRET";

/// Creates, against the configured AWS endpoint and the local PostgreSQL, what the stack
/// would create for the processor: the schema and the processor's user (by the setup
/// function's own code, as the master would), the cache token secret, the archive bucket
/// and the quarantine queue (named after `prefix`), and a secret holding the local user's
/// password. Returns the function's bindings, the variables its `Env` reads, in the
/// stack's order, then [`LOCAL_LOGIN_SECRET`]. Idempotent: what already exists is reused.
pub async fn provision(
    clients: &Clients,
    prefix: &str,
    database: &str,
    local: &LocalServices,
) -> Result<Vec<(&'static str, String)>, BoxError> {
    setup_database(database, local).await?;
    let bucket = format!("{prefix}-archive");
    // An existing bucket is reused; any other failure surfaces on the first archive.
    let _ = clients.s3.create_bucket().bucket(&bucket).send().await;
    let queue = clients
        .sqs
        .create_queue()
        .queue_name(format!("{prefix}-quarantine"))
        .send()
        .await
        .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
    let login = secret(clients, &format!("{prefix}-db-login"), DB_USER, LOCAL_DB_PASSWORD).await?;
    let token = secret(clients, &format!("{prefix}-cache-token"), "default", &local.redis_password).await?;
    Ok(vec![
        ("DB_USER", DB_USER.to_owned()),
        ("DB_ENDPOINT", "127.0.0.1".to_owned()),
        ("DB_PORT", local.pg_port.to_string()),
        ("DB_NAME", database.to_owned()),
        ("REDIS_ENDPOINT", "127.0.0.1".to_owned()),
        ("REDIS_PORT", local.redis_port.to_string()),
        ("REDIS_AUTH_SECRET_ARN", token),
        ("ARCHIVE_BUCKET", bucket),
        ("QUARANTINE_QUEUE_URL", queue.queue_url().unwrap_or_default().to_owned()),
        (LOCAL_LOGIN_SECRET, login),
    ])
}

/// Runs the database setup function's Create on the local PostgreSQL: the schema applied
/// and [`DB_USER`] made to exist with read-write access and [`LOCAL_DB_PASSWORD`].
pub async fn setup_database(database: &str, local: &LocalServices) -> Result<(), BoxError> {
    use tap::database::setup::{Setup, UserAuth};
    let master = tap::database::Credentials::new(local.pg_user.clone(), local.pg_password.clone());
    let setup = Setup::new(
        crate::product_catalog::db_setup::DATABASE_SCHEMA,
        UserAuth::Password(LOCAL_DB_PASSWORD.to_owned()),
        move || {
            let master = master.clone();
            async move { Ok(master) }
        },
    );
    // The Create CloudFormation would send, with no response URL: the outcome is read here.
    let event: tap::database::setup::Request = serde_json::from_value(serde_json::json!({
        "RequestType": "Create", "RequestId": "local", "StackId": "local", "LogicalResourceId": "ProcessorLogin",
        "ResourceType": "Custom::DatabaseUser", "ResponseURL": "",
        "ResourceProperties": { "Endpoint": "127.0.0.1", "Port": local.pg_port.to_string(), "DatabaseName": database,
            "User": DB_USER, "Access": "ReadWrite", "DropOnDelete": "true" },
    }))?;
    let outcome = setup.handle(&event).await;
    if outcome.success {
        Ok(())
    } else {
        Err(format!("database setup: {}", outcome.reason).into())
    }
}

/// The local login: the user's password, read from the secret [`provision`] made each time
/// the processor connects (a test rotates it there).
pub fn login(clients: &Clients, secret_arn: &str) -> tap::database::Login {
    let (secrets, arn) = (clients.secrets.clone(), secret_arn.to_owned());
    tap::database::Login::from_credentials(move || tap::database::setup::read_credentials(secrets.clone(), arn.clone()))
}

/// A `{username, password}` secret, created if missing (an existing one is reused as it is).
async fn secret(clients: &Clients, name: &str, username: &str, password: &str) -> Result<String, BoxError> {
    if let Ok(s) = clients.secrets.describe_secret().secret_id(name).send().await {
        return Ok(s.arn().unwrap_or_default().to_owned());
    }
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let created = clients.secrets.create_secret().name(name).secret_string(body).send().await;
    Ok(created
        .map_err(|e| aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string())?
        .arn()
        .unwrap_or_default()
        .to_owned())
}

/// A Kinesis record as the Lambda event carries it: data base64-encoded.
fn wire(shard_id: &str, source_arn: &str, r: &aws_sdk_kinesis::types::Record) -> WireRecord {
    WireRecord {
        event_id: format!("{shard_id}:{}", r.sequence_number()),
        event_source_arn: Some(source_arn.to_owned()),
        kinesis: WireKinesis {
            sequence_number: r.sequence_number().to_owned(),
            partition_key: r.partition_key().unwrap_or_default().to_owned(),
            data: base64::engine::general_purpose::STANDARD.encode(r.data().as_ref()),
            approximate_arrival_timestamp: r.approximate_arrival_timestamp().map(|t| t.as_secs_f64()),
        },
    }
}
