//! Example app crate: an SQS-fed worker writing to S3, declared with tap.
//! `cargo build` writes its template to `<target dir>/tap/SqsWorker/ephemeral/template.json`.
//!
//! The worker reads every AWS resource through the `Handles` its stack generates:
//! `results` is a `Bucket<Write>` and `dead_letters` a `Queue<Send>`, so it can store
//! results and dead-letter a job, and nothing else.

pub mod local;
mod stack;

pub use stack::sqs_worker;

use stack::sqs_worker::worker::{Env, Handles};
use tap::runtime::sqs::{Message, Quarantine, WireMessage};
use tap::runtime::{BoxError, RecordError, Typed};

/// Where `cargo build` wrote this stack's template.
pub const TEMPLATE_PATH: &str = env!("TAP_TEMPLATE");

/// The S3 key a job is stored under: one object per message, so a redelivered message
/// overwrites its own result instead of duplicating it.
pub fn result_key(message_id: &str) -> String {
    format!("jobs/{message_id}.json")
}

/// A job, as producers send it.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// What to do: a non-empty word.
    pub kind: String,
    /// Its input, stored with the result.
    #[serde(default)]
    pub input: serde_json::Value,
}

impl Typed for Job {
    fn validate(&self) -> Result<(), String> {
        if self.kind.trim().is_empty() {
            return Err("kind is empty".into());
        }
        Ok(())
    }
}

pub struct Worker {
    handles: Handles,
}

impl Worker {
    pub fn new(env: &Env, sdk: &tap::aws::SdkConfig) -> Worker {
        Worker { handles: Handles::new(env, sdk) }
    }

    /// One job: its result stored under its message id. A failed write is transient.
    pub async fn handle(&self, message: Message<Job>) -> Result<(), RecordError> {
        let body = serde_json::json!({ "message_id": message.message_id, "kind": message.data.kind, "input": message.data.input }).to_string();
        self.handles
            .results
            .put_object()
            .key(result_key(&message.message_id))
            .content_type("application/json")
            .body(body.into_bytes().into())
            .send()
            .await
            .map(drop)
            .map_err(|e| RecordError::retry(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))
    }
}

/// A job that can never succeed goes to the dead-letter queue at once, with its reason,
/// instead of being received `max_receive_count` times first.
impl Quarantine for Worker {
    async fn quarantine(&self, message: &WireMessage, reason: &str) -> Result<(), BoxError> {
        let body =
            serde_json::json!({ "reason": reason, "message_id": message.message_id, "body": message.body }).to_string();
        self.handles
            .dead_letters
            .send_message()
            .message_body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string().into())
    }
}
