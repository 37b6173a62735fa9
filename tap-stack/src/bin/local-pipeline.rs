//! Runs the pipeline locally against an AWS endpoint (the moto server from
//! `scripts/services start`, or a real account):
//!
//!   local-pipeline setup --stream NAME        create the stream, archive bucket, quarantine
//!                                             queue and cache token secret, apply the schema
//!                                             and create the processor's database user; print
//!                                             the function's bindings as `export` lines
//!   local-pipeline put --stream NAME [FILE]   put each line of FILE (or stdin) as a record,
//!                                             partition key = its product_id
//!   local-pipeline run --stream NAME [--batch-size 100] [--idle-polls 3]
//!                                             poll the stream and feed the processor as the
//!                                             Lambda event source mapping would
//!
//! `run` reads its configuration from the same variables the stack binds
//! (`product_catalog::processor::Env`); `setup` prints them. The endpoint and credentials
//! come from the usual AWS_* variables (AWS_ENDPOINT_URL for an emulator); `setup` logs in
//! to PostgreSQL as TAP_PG_USER / TAP_PG_PASSWORD (the master's stand-in). A local
//! PostgreSQL cannot check IAM tokens: `run` logs in to one on loopback with the password
//! `setup` gave the user (in the secret named by TAP_LOCAL_DB_LOGIN_SECRET).

use std::io::BufRead;
use std::time::Duration;

use tap_stack::processor::local::{self, LocalServices, Options};
use tap_stack::processor::{Clients, Processor};
use tap_stack::product_catalog::processor::Env;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const USAGE: &str = "usage: local-pipeline setup|put|run --stream NAME [--batch-size N] [--idle-polls N] [--failure-queue-url URL] [FILE]";

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or(USAGE)?;
    let mut opts = Options {
        stream: String::new(),
        batch_size: 100,
        max_retries: 3,
        failure_queue_url: None,
        idle_polls: 3,
        poll_interval: Duration::from_millis(200),
    };
    let mut file = None;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--stream" => opts.stream = value()?,
            "--batch-size" => opts.batch_size = value()?.parse()?,
            "--idle-polls" => opts.idle_polls = value()?.parse()?,
            "--failure-queue-url" => opts.failure_queue_url = Some(value()?),
            other if !other.starts_with("--") => file = Some(other.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}").into()),
        }
    }
    if opts.stream.is_empty() {
        return Err(format!("--stream is required\n{USAGE}").into());
    }
    let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let kinesis = aws_sdk_kinesis::Client::new(&aws);
    match command.as_str() {
        "setup" => setup(&aws, &kinesis, &opts.stream).await,
        "put" => put(&kinesis, &opts.stream, file.as_deref()).await,
        "run" => {
            let env = Env::from_env()?;
            let processor = if tap::bindings::Endpoint::new(&env.db_endpoint, &env.db_port).is_loopback() {
                let secret = std::env::var(local::LOCAL_LOGIN_SECRET)
                    .map_err(|_| format!("{} is not set (from `local-pipeline setup`)", local::LOCAL_LOGIN_SECRET))?;
                Processor::start_with(env, &aws, local::login(&Clients::new(&aws), &secret)).await?
            } else {
                Processor::start(env, &aws).await?
            };
            let stats = local::run(&processor, &kinesis, &aws_sdk_sqs::Client::new(&aws), &opts).await?;
            println!(
                "{}",
                serde_json::json!({ "event": "done", "batches": stats.batches, "records": stats.records, "applied": stats.applied,
                    "quarantined": stats.quarantined, "retries": stats.retries, "failed_batches": stats.failed_batches })
            );
            Ok(())
        }
        other => Err(format!("unknown command {other}\n{USAGE}").into()),
    }
}

async fn setup(aws: &aws_config::SdkConfig, kinesis: &aws_sdk_kinesis::Client, stream: &str) -> Result<()> {
    let local = LocalServices::from_lookup(&|k| std::env::var(k).ok())?;
    let _ = kinesis.create_stream().stream_name(stream).shard_count(2).send().await;
    for (name, value) in local::provision(&Clients::new(aws), stream, "postgres", &local).await? {
        println!("export {name}={value}");
    }
    Ok(())
}

async fn put(kinesis: &aws_sdk_kinesis::Client, stream: &str, file: Option<&str>) -> Result<()> {
    let reader: Box<dyn BufRead> = match file {
        Some(path) => Box::new(std::io::BufReader::new(std::fs::File::open(path)?)),
        None => Box::new(std::io::stdin().lock()),
    };
    let mut n = 0;
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        // Records of one product go to one shard, in order, as a real producer would.
        let key = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v["product_id"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "malformed".to_owned());
        kinesis
            .put_record()
            .stream_name(stream)
            .partition_key(key)
            .data(aws_sdk_kinesis::primitives::Blob::new(line))
            .send()
            .await?;
        n += 1;
    }
    println!("{}", serde_json::json!({ "event": "put", "records": n }));
    Ok(())
}
