//! The Lambda handler contract for Kinesis-fed functions (feature `runtime`).
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

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A record type: deserialised from the record's JSON and then validated.
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-005: `{Self}` is not a typed record: record data arrives decoded and parsed, never as raw text",
    label = "records of this type would be raw text",
    note = "fix: declare a struct with #[derive(serde::Deserialize)] and implement `tap::runtime::Typed` for it (its `validate` says which values are invalid)"
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
    /// The sequence number as a number: sequence numbers are up to 128 bits of decimal
    /// digits and must be compared numerically, never as strings.
    pub fn sequence(&self) -> u128 {
        self.sequence_number.parse().unwrap_or(0)
    }
}

/// What a record handler returns: only `Result<(), RecordError>` is one. (The bound sits on
/// the output, not on `Future<Output = ..>`, so a handler without an error path gets this
/// diagnostic rather than a bare type mismatch.)
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-003: a record handler returns `Result<(), RecordError>`, not `{Self}`: this one has no error path",
    label = "the handler's return type",
    note = "fix: write `async fn handle(record: Record<T>) -> Result<(), RecordError>`: `Reject(reason)` for a record that can never succeed (quarantined), `Retry(error)` for a transient failure (retried from this record)"
)]
pub trait HandlerResult: Send {
    fn into_result(self) -> Result<(), RecordError>;
}

impl HandlerResult for Result<(), RecordError> {
    fn into_result(self) -> Result<(), RecordError> {
        self
    }
}

/// A per-record handler: `async fn(Record<T>) -> Result<(), RecordError>`.
pub trait RecordFn<T>: Sync {
    fn call(&self, record: Record<T>) -> impl Future<Output = Result<(), RecordError>> + Send;
}

impl<T, F, Fut> RecordFn<T> for F
where
    F: Fn(Record<T>) -> Fut + Sync,
    Fut: Future + Send,
    Fut::Output: HandlerResult,
{
    fn call(&self, record: Record<T>) -> impl Future<Output = Result<(), RecordError>> + Send {
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
    F: RecordFn<T>,
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
pub async fn run<T, F, S>(handler: F, sink: &S, concurrency: usize, on_batch: impl Fn(&Report, f64) + Sync) -> Result<(), lambda_runtime::Error>
where
    T: Typed,
    F: RecordFn<T>,
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
