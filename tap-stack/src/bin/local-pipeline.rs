//! Runs the pipeline locally: polls a Kinesis stream and feeds the inventory processor as
//! the Lambda event source mapping would. Configuration comes from the same environment
//! variables the stack binds (see `product_catalog::processor::Env`), plus:
//!
//!   local-pipeline --stream NAME [--batch-size 100] [--failure-queue-url URL] [--idle-polls 3]
//!
//! AWS endpoint and credentials come from the usual AWS_* variables (AWS_ENDPOINT_URL for
//! an emulator).

use std::time::Duration;

use tap_stack::processor::local::{self, Options};
use tap_stack::processor::{Clients, Processor};
use tap_stack::product_catalog::processor::Env;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut opts = Options { stream: String::new(), batch_size: 100, max_retries: 3, failure_queue_url: None, idle_polls: 3, poll_interval: Duration::from_millis(200) };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--stream" => opts.stream = value()?,
            "--batch-size" => opts.batch_size = value()?.parse()?,
            "--failure-queue-url" => opts.failure_queue_url = Some(value()?),
            "--idle-polls" => opts.idle_polls = value()?.parse()?,
            other => return Err(format!("unknown argument {other}; usage: local-pipeline --stream NAME [--batch-size N] [--failure-queue-url URL] [--idle-polls N]").into()),
        }
    }
    if opts.stream.is_empty() {
        return Err("--stream is required".into());
    }
    let env = Env::from_env()?;
    let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let clients = Clients::new(&aws);
    let processor = Processor::start(env, clients.clone()).await?;
    let kinesis = aws_sdk_kinesis::Client::new(&aws);
    let stats = local::run(&processor, &kinesis, &clients.sqs, &opts).await?;
    println!("{}", serde_json::json!({ "event": "done", "batches": stats.batches, "records": stats.records, "applied": stats.applied, "quarantined": stats.quarantined, "retries": stats.retries, "failed_batches": stats.failed_batches }));
    Ok(())
}
