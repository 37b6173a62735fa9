//! The Lambda handler contract for Kinesis-fed functions (feature `runtime`); SQS-fed ones
//! get the same contract from [`sqs`], and functions an `Api` routes to theirs from [`api`].
//!
//! The handler never sees the wire format. tap decodes each record's base64, parses it
//! into the handler's typed record (`T: Typed`: serde plus validation), and calls a
//! per-record function that must say how the record ended: `Ok(())`, or
//! `Err(RecordError::Reject)` (it can never succeed: quarantined, counted as handled), or
//! `Err(RecordError::Retry)` (transient: the batch stops there and that record's sequence
//! number is the batch item failure, so Lambda retries from it). A record tap cannot
//! decode, parse or validate is rejected the same way, with the reason.
//!
//! Seed mistakes 13 (no error handling) and 20 (base64 not decoded) cannot be written:
//! a function that returns no `Result` is not a [`RecordFn`] (TAP-CODE-003), and a record
//! type that is raw text is not [`Typed`] (TAP-CODE-005).

use std::future::Future;

use aws_lambda_events::event::streams::KinesisEventResponse;
use base64::Engine;
use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub mod api;
pub mod sqs;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A record type: deserialised from the record's JSON and then validated.
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-005: `{Self}` is not a typed record: record data arrives decoded and parsed, never as raw text",
    label = "records of this type would be raw text",
    note = "fix: declare a struct with #[derive(serde::Deserialize)] and implement `tap::runtime::Typed` for it (its `validate` says which values are invalid)",
    note = "explain: `cargo tap explain TAP-CODE-005`"
)]
pub trait Typed: DeserializeOwned + Send + Sync + 'static {
    /// Why the decoded value can never be applied, if it cannot.
    fn validate(&self) -> Result<(), String>;
}

/// How a record that did not succeed ended.
#[derive(Debug)]
pub enum RecordError {
    /// The record can never succeed: quarantine it with this reason; it counts as handled.
    Reject(String),
    /// Something this record needs is unavailable: stop and let Lambda retry from here.
    Retry(BoxError),
}

impl RecordError {
    pub fn retry(e: impl Into<BoxError>) -> Self {
        RecordError::Retry(e.into())
    }
}

/// A decoded, typed, validated record.
#[derive(Clone, Debug)]
pub struct Record<T> {
    pub shard_id: String,
    pub sequence_number: String,
    pub partition_key: String,
    pub data: T,
}

impl<T> Record<T> {
    /// The sequence number, ordered numerically.
    pub fn sequence(&self) -> SequenceNumber<'_> {
        SequenceNumber(&self.sequence_number)
    }
}

/// A Kinesis sequence number: up to 129 decimal digits, too many for any integer type,
/// and wrong when compared as text ("99" > "100"). Ordered by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SequenceNumber<'a>(pub &'a str);

impl SequenceNumber<'_> {
    fn digits(&self) -> &str {
        let d = self.0.trim_start_matches('0');
        if d.is_empty() {
            "0"
        } else {
            d
        }
    }
}

impl Ord for SequenceNumber<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (self.digits(), other.digits());
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    }
}

impl PartialOrd for SequenceNumber<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What a record handler returns: only `Result<(), RecordError>` is one. (The bound sits on
/// the output, not on `Future<Output = ..>`, so a handler without an error path gets this
/// diagnostic rather than a bare type mismatch.)
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-003: a record handler returns `Result<(), RecordError>`, not `{Self}`: this one has no error path",
    label = "the handler's return type",
    note = "fix: write `async fn handle(record: Record<T>) -> Result<(), RecordError>`: `Reject(reason)` for a record that can never succeed (quarantined), `Retry(error)` for a transient failure (retried from this record)",
    note = "explain: `cargo tap explain TAP-CODE-003`"
)]
pub trait HandlerResult: Send {
    fn into_result(self) -> Result<(), RecordError>;
}

impl HandlerResult for Result<(), RecordError> {
    fn into_result(self) -> Result<(), RecordError> {
        self
    }
}

/// A per-record handler: `async fn(R) -> Result<(), RecordError>`, where `R` is a
/// Kinesis [`Record<T>`] or an SQS [`sqs::Message<T>`].
pub trait RecordFn<R>: Sync {
    fn call(&self, record: R) -> impl Future<Output = Result<(), RecordError>> + Send;
}

impl<R, F, Fut> RecordFn<R> for F
where
    F: Fn(R) -> Fut + Sync,
    Fut: Future + Send,
    Fut::Output: HandlerResult,
{
    fn call(&self, record: R) -> impl Future<Output = Result<(), RecordError>> + Send {
        let fut = self(record);
        async move { fut.await.into_result() }
    }
}

/// Where records that can never succeed go, with their payload and reason, and where every
/// handled record is archived. A failure of either is transient.
pub trait Sink: Sync {
    fn quarantine(&self, record: &WireRecord, reason: &str) -> impl Future<Output = Result<(), BoxError>> + Send;
    /// Archives a run of handled records, in order (one call per run, not per record).
    fn archive(&self, records: &[WireRecord]) -> impl Future<Output = Result<(), BoxError>> + Send;
}

/// The Kinesis event as Lambda delivers it. tap parses it itself (rather than through
/// `aws_lambda_events`' decoded type) so that one record with bad base64 is quarantined
/// instead of failing the whole batch's deserialisation.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
pub struct WireEvent {
    #[serde(rename = "Records", default)]
    pub records: Vec<WireRecord>,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
pub struct WireRecord {
    /// `shardId-000000000000:49590338271490256608559692538361571095921575989136588898`
    #[serde(rename = "eventID", default)]
    pub event_id: String,
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    pub kinesis: WireKinesis,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireKinesis {
    pub sequence_number: String,
    #[serde(default)]
    pub partition_key: String,
    /// Base64, as on the wire.
    pub data: String,
    #[serde(default)]
    pub approximate_arrival_timestamp: Option<f64>,
}

impl WireRecord {
    pub fn shard_id(&self) -> &str {
        self.event_id.split(':').next().unwrap_or_default()
    }
}

/// How one batch went.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub received: usize,
    pub applied: usize,
    pub quarantined: usize,
    /// The sequence number Lambda must retry from, if the batch stopped.
    pub retry_from: Option<String>,
    pub error: Option<String>,
}

impl Report {
    pub fn response(&self) -> KinesisEventResponse {
        let mut r = KinesisEventResponse::default();
        if let Some(seq) = &self.retry_from {
            r.add_failure(seq.clone());
        }
        r
    }
}

enum Outcome {
    Applied,
    Quarantined,
    Stop(String),
    /// Not started: an earlier record stopped the batch.
    Skipped,
}

/// Decodes a record into its typed form, or says why it can never be.
pub fn decode<T: Typed>(wire: &WireRecord) -> Result<Record<T>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(wire.kinesis.data.as_bytes())
        .map_err(|e| format!("data is not base64: {e}"))?;
    let data: T = serde_json::from_slice(&bytes).map_err(|e| format!("data is not a valid record: {e}"))?;
    data.validate().map_err(|e| format!("invalid record: {e}"))?;
    Ok(Record {
        shard_id: wire.shard_id().to_owned(),
        sequence_number: wire.kinesis.sequence_number.clone(),
        partition_key: wire.kinesis.partition_key.clone(),
        data,
    })
}

/// Processes a batch in order with up to `concurrency` records in flight (their effects
/// are issued in order; a handler must make re-applying a record harmless, as the
/// inventory upsert's sequence guard does). Stops at the first transient failure: every
/// record before it is handled, it and every record after are retried. Records already in
/// flight when a failure is seen run to completion (never cancelled half-way); no new
/// record starts.
pub async fn process<T, F, S>(event: &WireEvent, handler: &F, sink: &S, concurrency: usize) -> Report
where
    T: Typed,
    F: RecordFn<Record<T>>,
    S: Sink,
{
    let mut report = Report { received: event.records.len(), ..Report::default() };
    let stopped = &std::sync::atomic::AtomicBool::new(false);
    let outcomes = stream::iter(event.records.iter().map(|wire| async move {
        if stopped.load(std::sync::atomic::Ordering::Acquire) {
            return Outcome::Skipped;
        }
        let outcome = match decode::<T>(wire) {
            Err(reason) => quarantine(sink, wire, &reason).await,
            Ok(record) => match handler.call(record).await {
                Ok(()) => Outcome::Applied,
                Err(RecordError::Reject(reason)) => quarantine(sink, wire, &reason).await,
                Err(RecordError::Retry(e)) => Outcome::Stop(e.to_string()),
            },
        };
        if matches!(outcome, Outcome::Stop(_)) {
            stopped.store(true, std::sync::atomic::Ordering::Release);
        }
        outcome
    }))
    .buffered(concurrency.max(1));
    futures_util::pin_mut!(outcomes);
    let mut handled = 0;
    let mut done = false;
    // Drains the stream to the end so in-flight records finish; only the prefix before
    // the first stop counts as handled.
    while let Some(outcome) = outcomes.next().await {
        if done {
            continue;
        }
        match outcome {
            Outcome::Applied => report.applied += 1,
            Outcome::Quarantined => report.quarantined += 1,
            Outcome::Stop(error) => {
                report.error = Some(error);
                done = true;
                continue;
            }
            Outcome::Skipped => {
                done = true;
                continue;
            }
        }
        handled += 1;
    }
    // Archive what was handled, in one object; if that fails, nothing of it counts as
    // handled and the whole run is retried (re-applying is harmless).
    if handled > 0 {
        if let Err(e) = sink.archive(&event.records[..handled]).await {
            report.error = Some(format!("archive failed: {e}"));
            handled = 0;
            report.applied = 0;
            report.quarantined = 0;
        }
    }
    if handled < event.records.len() {
        report.retry_from = Some(event.records[handled].kinesis.sequence_number.clone());
    }
    report
}

async fn quarantine<S: Sink>(sink: &S, wire: &WireRecord, reason: &str) -> Outcome {
    match sink.quarantine(wire, reason).await {
        Ok(()) => Outcome::Quarantined,
        Err(e) => Outcome::Stop(format!("quarantine failed: {e}")),
    }
}

/// Runs the handler as the Lambda function's event loop (only inside Lambda).
/// `on_batch` sees each batch's report and its duration in milliseconds (a metric line).
pub async fn run<T, F, S>(
    handler: F,
    sink: &S,
    concurrency: usize,
    on_batch: impl Fn(&Report, f64) + Sync,
) -> Result<(), lambda_runtime::Error>
where
    T: Typed,
    F: RecordFn<Record<T>>,
    S: Sink,
{
    let handler = &handler;
    let on_batch = &on_batch;
    lambda_runtime::run(lambda_runtime::service_fn(move |event: lambda_runtime::LambdaEvent<WireEvent>| async move {
        let started = std::time::Instant::now();
        let report = process(&event.payload, handler, sink, concurrency).await;
        on_batch(&report, started.elapsed().as_secs_f64() * 1e3);
        Ok::<_, lambda_runtime::Error>(report.response())
    }))
    .await
}

pub use crate::bindings::{bound, BindingError};

#[cfg(test)]
mod tests {
    use super::*;

    /// A Kinesis event as Lambda delivers it (fields tap does not read included).
    const EVENT: &str = r#"{"Records":[
      {"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"sku-1","sequenceNumber":"49590338271490256608559692538361571095921575989136588898",
        "data":"eyJpZCI6InNrdS0xIiwibiI6MX0=","approximateArrivalTimestamp":1545084650.987},
       "eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
       "eventName":"aws:kinesis:record","invokeIdentityArn":"arn:aws:iam::123456789012:role/lambda-role","awsRegion":"us-east-2",
       "eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"},
      {"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"sku-2","sequenceNumber":"49590338271490256608559692540925702759324208523137515618",
        "data":"bm90IGJhc2U2NA!!","approximateArrivalTimestamp":1545084711.166},
       "eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-000000000006:49590338271490256608559692540925702759324208523137515618",
       "eventName":"aws:kinesis:record","awsRegion":"us-east-2","eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"},
      {"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"sku-3","sequenceNumber":"49590338271490256608559692540925702759324208523137515619",
        "data":"eyJpZCI6InNrdS0zIiwibiI6M30=","approximateArrivalTimestamp":1545084711.2},
       "eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-000000000006:49590338271490256608559692540925702759324208523137515619",
       "eventName":"aws:kinesis:record","awsRegion":"us-east-2","eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"}
    ]}"#;

    #[derive(serde::Deserialize)]
    struct Update {
        id: String,
        n: i64,
    }

    impl Typed for Update {
        fn validate(&self) -> Result<(), String> {
            if self.n < 0 {
                Err("n < 0".into())
            } else {
                Ok(())
            }
        }
    }

    #[derive(Default)]
    struct Memory {
        quarantined: std::sync::Mutex<Vec<(String, String)>>,
        archived: std::sync::Mutex<Vec<String>>,
    }

    impl Sink for Memory {
        async fn quarantine(&self, record: &WireRecord, reason: &str) -> Result<(), BoxError> {
            self.quarantined.lock().unwrap().push((record.kinesis.sequence_number.clone(), reason.to_owned()));
            Ok(())
        }
        async fn archive(&self, records: &[WireRecord]) -> Result<(), BoxError> {
            self.archived.lock().unwrap().extend(records.iter().map(|r| r.kinesis.sequence_number.clone()));
            Ok(())
        }
    }

    #[tokio::test]
    async fn lambda_event_in_partial_batch_response_out() {
        let event: WireEvent = serde_json::from_str(EVENT).unwrap();
        assert_eq!(event.records[0].shard_id(), "shardId-000000000006");
        let sink = Memory::default();
        let seen = std::sync::Mutex::new(Vec::new());
        // sku-3 hits a transient failure: the batch stops there.
        let handler = |r: Record<Update>| {
            seen.lock().unwrap().push(r.data.id.clone());
            let fail = r.data.n == 3;
            async move {
                if fail {
                    Err(RecordError::retry("database unavailable"))
                } else {
                    Ok(())
                }
            }
        };
        let report = process(&event, &handler, &sink, 1).await;
        assert_eq!((report.applied, report.quarantined), (1, 1));
        assert_eq!(report.retry_from.as_deref(), Some("49590338271490256608559692540925702759324208523137515619"));
        let q = sink.quarantined.lock().unwrap().clone();
        assert!(q[0].1.starts_with("data is not base64"), "{q:?}");
        // Handled records are archived; the failed one is not, it will be retried.
        assert_eq!(sink.archived.lock().unwrap().len(), 2);
        // The response, as Lambda reads it.
        let json = serde_json::to_value(report.response()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "batchItemFailures": [{ "itemIdentifier": "49590338271490256608559692540925702759324208523137515619" }] })
        );
        assert_eq!(*seen.lock().unwrap(), vec!["sku-1", "sku-3"]);
    }

    #[test]
    fn sequence_numbers_compare_numerically() {
        let r = |s: &str| Record {
            shard_id: String::new(),
            sequence_number: s.into(),
            partition_key: String::new(),
            data: (),
        };
        assert!(r("100").sequence() > r("99").sequence());
        let long = r("49590338271490256608559692540925702759324208523137515619");
        assert!(long.sequence() > r("9").sequence());
        assert!(long.sequence() < r("49590338271490256608559692540925702759324208523137515620").sequence());
        assert_eq!(r("007").sequence().cmp(&r("7").sequence()), std::cmp::Ordering::Equal);
    }
}
