//! The worker Lambda: stores each job in the results bucket, dead-letters a job that can
//! never succeed with its reason, and reports the messages it could not handle, so only
//! those are redelivered (and, after `max_receive_count` receives, dead-lettered by SQS).

use sqs_worker::Worker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    // Configuration through the bindings the stack generates; a missing variable is named.
    let env = sqs_worker::sqs_worker::worker::Env::from_env()?;
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let worker = Worker::new(&env, &sdk);
    tap::runtime::sqs::run(
        |message| worker.handle(message),
        &worker,
        10,
        |report, millis| {
            println!("{}", serde_json::json!({ "event": "batch", "received": report.received, "applied": report.applied,
                "quarantined": report.quarantined, "failed": report.failed.len(), "millis": millis, "error": report.error }));
        },
    )
    .await
}
