//! Example app crate: an SQS-fed worker writing to S3, declared with tap.
//! `cargo build` writes its template to `<target dir>/tap/SqsWorker/ephemeral/template.json`.

mod stack;

pub use stack::sqs_worker;

/// Where `cargo build` wrote this stack's template.
pub const TEMPLATE_PATH: &str = env!("TAP_TEMPLATE");

/// The S3 key a job is stored under: one object per message, so a redelivered message
/// overwrites its own result instead of duplicating it.
pub fn result_key(message_id: &str) -> String {
    format!("jobs/{message_id}.json")
}
