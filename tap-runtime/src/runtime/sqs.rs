//! The handler contract for SQS-fed functions: the same as for Kinesis ones.
//!
//! tap parses each message's body into the handler's typed record (`T: Typed`), and calls a
//! per-message function that says how it ended: `Ok(())`; `Err(RecordError::Reject)` (it
//! can never succeed: handed to the [`Quarantine`] with its reason, then deleted like a
//! handled one); `Err(RecordError::Retry)` (transient: its message id is a batch item
//! failure, so only it returns to the queue, and after the queue's `max_receive_count` it
//! lands in the dead-letter queue). A body tap cannot parse or validate is rejected the same
//! way. Nothing is lost: a message is deleted only once handled or quarantined.
//!
//! A FIFO queue (`….fifo`) keeps order within a message group, so there the batch stops at
//! the first failure and every message after it is reported too, as Lambda requires.

use std::future::Future;

use aws_lambda_events::event::sqs::SqsBatchResponse;
use futures_util::stream::{self, StreamExt};
use serde::Deserialize;

use super::{BoxError, RecordError, RecordFn, Typed};

/// The SQS event as Lambda delivers it (the fields tap reads).
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
pub struct WireEvent {
    #[serde(rename = "Records", default)]
    pub records: Vec<WireMessage>,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireMessage {
    pub message_id: String,
    #[serde(default)]
    pub receipt_handle: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub attributes: std::collections::HashMap<String, String>,
    #[serde(rename = "eventSourceARN", default)]
    pub event_source_arn: String,
}

impl WireMessage {
    /// How many times SQS has delivered it, this time included.
    pub fn receive_count(&self) -> u32 {
        self.attributes.get("ApproximateReceiveCount").and_then(|n| n.parse().ok()).unwrap_or(1)
    }
}

/// A parsed, validated message.
#[derive(Clone, Debug)]
pub struct Message<T> {
    pub message_id: String,
    pub receive_count: u32,
    pub data: T,
}

/// Parses a message's body into its typed form, or says why it can never be.
pub fn decode<T: Typed>(wire: &WireMessage) -> Result<Message<T>, String> {
    let data: T = serde_json::from_str(&wire.body).map_err(|e| format!("body is not a valid record: {e}"))?;
    data.validate().map_err(|e| format!("invalid record: {e}"))?;
    Ok(Message { message_id: wire.message_id.clone(), receive_count: wire.receive_count(), data })
}

/// Where messages that can never succeed go, with their body and reason (a dead-letter
/// queue the function may send to, for instance). A failure is transient: the message is
/// reported and comes back.
pub trait Quarantine: Sync {
    fn quarantine(&self, message: &WireMessage, reason: &str) -> impl Future<Output = Result<(), BoxError>> + Send;
}

/// How one batch went.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub received: usize,
    pub applied: usize,
    pub quarantined: usize,
    /// The message ids that return to the queue, in order.
    pub failed: Vec<String>,
    /// The first failure's error.
    pub error: Option<String>,
}

impl Report {
    /// The partial batch response: the failed message ids.
    pub fn response(&self) -> SqsBatchResponse {
        let mut r = SqsBatchResponse::default();
        for id in &self.failed {
            r.add_failure(id.clone());
        }
        r
    }
}

enum Outcome {
    Applied,
    Quarantined,
    Failed(String),
}

/// Handles a batch with up to `concurrency` messages in flight (one at a time on a FIFO
/// queue, where order matters and the first failure stops the batch).
pub async fn process<T, F, Q>(event: &WireEvent, handler: &F, quarantine: &Q, concurrency: usize) -> Report
where
    T: Typed,
    F: RecordFn<Message<T>>,
    Q: Quarantine,
{
    let fifo = event.records.first().is_some_and(|m| m.event_source_arn.ends_with(".fifo"));
    let mut report = Report { received: event.records.len(), ..Report::default() };
    let width = if fifo { 1 } else { concurrency.max(1) };
    let outcomes = stream::iter(event.records.iter().map(|wire| async move {
        let rejected = match decode::<T>(wire) {
            Err(reason) => reason,
            Ok(message) => match handler.call(message).await {
                Ok(()) => return Outcome::Applied,
                Err(RecordError::Reject(reason)) => reason,
                Err(RecordError::Retry(e)) => return Outcome::Failed(e.to_string()),
            },
        };
        match quarantine.quarantine(wire, &rejected).await {
            Ok(()) => Outcome::Quarantined,
            Err(e) => Outcome::Failed(format!("quarantine failed: {e}")),
        }
    }))
    .buffered(width);
    futures_util::pin_mut!(outcomes);
    let mut i = 0;
    while let Some(outcome) = outcomes.next().await {
        let id = &event.records[i].message_id;
        i += 1;
        match outcome {
            Outcome::Applied => report.applied += 1,
            Outcome::Quarantined => report.quarantined += 1,
            Outcome::Failed(error) => {
                report.error.get_or_insert(error);
                report.failed.push(id.clone());
                if fifo {
                    report.failed.extend(event.records[i..].iter().map(|m| m.message_id.clone()));
                    break;
                }
            }
        }
    }
    report
}

/// Runs the handler as the Lambda function's event loop (only inside Lambda).
pub async fn run<T, F, Q>(
    handler: F,
    quarantine: &Q,
    concurrency: usize,
    on_batch: impl Fn(&Report, f64) + Sync,
) -> Result<(), lambda_runtime::Error>
where
    T: Typed,
    F: RecordFn<Message<T>>,
    Q: Quarantine,
{
    let handler = &handler;
    let on_batch = &on_batch;
    lambda_runtime::run(lambda_runtime::service_fn(move |event: lambda_runtime::LambdaEvent<WireEvent>| async move {
        let started = std::time::Instant::now();
        let report = process(&event.payload, handler, quarantine, concurrency).await;
        on_batch(&report, started.elapsed().as_secs_f64() * 1e3);
        Ok::<_, lambda_runtime::Error>(report.response())
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SQS event as Lambda delivers it (fields tap does not read included).
    const EVENT: &str = r#"{"Records":[
      {"messageId":"m-1","receiptHandle":"r-1","body":"{\"n\":1}","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183"},
       "messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:jobs","awsRegion":"us-east-2"},
      {"messageId":"m-2","receiptHandle":"r-2","body":"not json","attributes":{"ApproximateReceiveCount":"2"},
       "messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:jobs","awsRegion":"us-east-2"},
      {"messageId":"m-3","receiptHandle":"r-3","body":"{\"n\":3}","attributes":{},
       "messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:jobs","awsRegion":"us-east-2"},
      {"messageId":"m-4","receiptHandle":"r-4","body":"{\"n\":-4}","attributes":{},
       "messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:jobs","awsRegion":"us-east-2"}
    ]}"#;

    #[derive(serde::Deserialize)]
    struct Job {
        n: i64,
    }

    impl Typed for Job {
        fn validate(&self) -> Result<(), String> {
            if self.n < 0 {
                Err("n < 0".into())
            } else {
                Ok(())
            }
        }
    }

    #[derive(Default)]
    struct Memory(std::sync::Mutex<Vec<(String, String)>>);

    impl Quarantine for Memory {
        async fn quarantine(&self, message: &WireMessage, reason: &str) -> Result<(), BoxError> {
            self.0.lock().unwrap().push((message.message_id.clone(), reason.to_owned()));
            Ok(())
        }
    }

    async fn handler(m: Message<Job>) -> Result<(), RecordError> {
        if m.data.n == 3 {
            Err(RecordError::retry("downstream unavailable"))
        } else {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_standard_queue_reports_only_the_failed_message() {
        let event: WireEvent = serde_json::from_str(EVENT).unwrap();
        assert_eq!(event.records[1].receive_count(), 2);
        let q = Memory::default();
        let report = process(&event, &handler, &q, 4).await;
        assert_eq!((report.applied, report.quarantined), (1, 2));
        assert_eq!(report.failed, vec!["m-3"]);
        let quarantined = q.0.lock().unwrap().clone();
        assert!(
            quarantined[0].0 == "m-2" && quarantined[0].1.starts_with("body is not a valid record"),
            "{quarantined:?}"
        );
        assert_eq!(quarantined[1], ("m-4".to_owned(), "invalid record: n < 0".to_owned()));
        let json = serde_json::to_value(report.response()).unwrap();
        assert_eq!(json, serde_json::json!({ "batchItemFailures": [{ "itemIdentifier": "m-3" }] }));
    }

    #[tokio::test]
    async fn a_fifo_queue_stops_at_the_first_failure_and_reports_the_rest() {
        let mut event: WireEvent = serde_json::from_str(EVENT).unwrap();
        for m in &mut event.records {
            m.event_source_arn.push_str(".fifo");
        }
        let q = Memory::default();
        let report = process(&event, &handler, &q, 4).await;
        assert_eq!(report.failed, vec!["m-3", "m-4"], "m-4 must not run before m-3 succeeds");
        assert_eq!((report.applied, report.quarantined), (1, 1));
    }

    #[tokio::test]
    async fn a_failed_quarantine_returns_the_message_to_the_queue() {
        struct Down;
        impl Quarantine for Down {
            async fn quarantine(&self, _: &WireMessage, _: &str) -> Result<(), BoxError> {
                Err("dead-letter queue unavailable".into())
            }
        }
        let event: WireEvent = serde_json::from_str(EVENT).unwrap();
        let report = process(&event, &handler, &Down, 4).await;
        assert_eq!(report.failed, vec!["m-2", "m-3", "m-4"]);
        assert_eq!(report.quarantined, 0);
    }
}
