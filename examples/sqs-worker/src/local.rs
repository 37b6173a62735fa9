//! A local stand-in for the Lambda SQS event source mapping, for runs against an emulator
//! (or a real queue): it makes the calls AWS lists for an SQS event source, with the
//! function's credentials: `GetQueueAttributes` (the mapping checks the queue's visibility
//! timeout against the function's), `ReceiveMessage`, and `DeleteMessage` for each
//! message the batch handled, never for one it reported as failed.

use std::time::Duration;

use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName, QueueAttributeName};
use tap::runtime::sqs::{self, WireEvent, WireMessage};
use tap::runtime::BoxError;

use crate::Worker;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    pub batches: u64,
    pub received: u64,
    pub applied: u64,
    pub quarantined: u64,
    pub failed: u64,
    /// Each distinct error a message failed with, in the order first seen.
    pub errors: Vec<String>,
}

/// Polls `queue_url` and feeds the worker until `idle_polls` receives in a row find nothing.
pub async fn run(
    worker: &Worker,
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    function_timeout: Duration,
    idle_polls: u32,
) -> Result<Stats, BoxError> {
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::VisibilityTimeout)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(err)?;
    let attributes = attrs.attributes().cloned().unwrap_or_default();
    let visibility: u64 =
        attributes.get(&QueueAttributeName::VisibilityTimeout).and_then(|v| v.parse().ok()).unwrap_or(30);
    if visibility < function_timeout.as_secs() {
        return Err(format!(
            "queue visibility timeout {visibility}s is shorter than the function timeout {}s",
            function_timeout.as_secs()
        )
        .into());
    }
    let arn = attributes.get(&QueueAttributeName::QueueArn).cloned().unwrap_or_default();
    let mut stats = Stats::default();
    let mut idle = 0;
    while idle < idle_polls {
        let got = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .wait_time_seconds(0)
            .send()
            .await
            .map_err(err)?;
        let messages = got.messages();
        if messages.is_empty() {
            idle += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        idle = 0;
        let event = WireEvent {
            records: messages
                .iter()
                .map(|m| WireMessage {
                    message_id: m.message_id().unwrap_or_default().to_owned(),
                    receipt_handle: m.receipt_handle().unwrap_or_default().to_owned(),
                    body: m.body().unwrap_or_default().to_owned(),
                    attributes: m
                        .attributes()
                        .map(|a| a.iter().map(|(k, v)| (k.as_str().to_owned(), v.clone())).collect())
                        .unwrap_or_default(),
                    event_source_arn: arn.clone(),
                })
                .collect(),
        };
        let report = sqs::process(&event, &|m| worker.handle(m), worker, 10).await;
        stats.batches += 1;
        stats.received += report.received as u64;
        stats.applied += report.applied as u64;
        stats.quarantined += report.quarantined as u64;
        stats.failed += report.failed.len() as u64;
        if let Some(e) = &report.error {
            if !stats.errors.contains(e) {
                stats.errors.push(e.clone());
            }
        }
        // What the mapping does with a partial batch response: delete the rest; the
        // failed messages come back after their visibility timeout.
        let entries: Vec<DeleteMessageBatchRequestEntry> = event
            .records
            .iter()
            .filter(|m| !report.failed.contains(&m.message_id))
            .enumerate()
            .map(|(i, m)| {
                DeleteMessageBatchRequestEntry::builder().id(i.to_string()).receipt_handle(&m.receipt_handle).build()
            })
            .collect::<Result<_, _>>()?;
        if !entries.is_empty() {
            let deleted =
                sqs.delete_message_batch().queue_url(queue_url).set_entries(Some(entries)).send().await.map_err(err)?;
            if let Some(f) = deleted.failed().first() {
                return Err(format!("delete failed: {} {}", f.code(), f.message().unwrap_or_default()).into());
            }
        }
    }
    Ok(stats)
}

fn err(e: impl std::error::Error + 'static) -> BoxError {
    aws_sdk_sqs::error::DisplayErrorContext(e).to_string().into()
}
