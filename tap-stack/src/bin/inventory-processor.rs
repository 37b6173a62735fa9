//! The inventory processor's Lambda `bootstrap` (runtime `provided.al2023`).

use std::time::Instant;

use tap_stack::processor::{self, Processor, CONCURRENCY};
use tap_stack::product_catalog::processor::Env;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let started = Instant::now();
    // Configuration only through the stack's bindings; a missing variable is named.
    let env = Env::from_env()?;
    let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let processor = Processor::start(env, &aws).await?;
    processor::log(
        serde_json::json!({ "level": "info", "event": "ready", "init_millis": started.elapsed().as_secs_f64() * 1e3 }),
    );
    let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_else(|_| "inventory-processor".into());
    tap::runtime::run(
        |record| processor.handle(record),
        &processor,
        CONCURRENCY,
        |report, millis| processor::log(processor::metric_line(report, millis, &function)),
    )
    .await
}
