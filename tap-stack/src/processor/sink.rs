//! Where records go besides the database: the S3 archive and the SQS quarantine.

use tap::runtime::{BoxError, WireRecord};

/// The archive object of a run of records: `inventory/<shard>/<first>-<last>.jsonl`.
///
/// One object per handled run (a batch, or the part of it before a retry), not per record:
/// S3 bills per request and Glacier adds per-object overhead (a transition fee and 40 KB of
/// metadata billed per object), so for records of ~100 bytes one object per batch of 100
/// costs about 1/100 of one object per record. The key is derived from the shard and the
/// first and last sequence numbers, so a retried run rewrites the same object instead of
/// adding a duplicate.
pub fn archive_key(records: &[WireRecord]) -> Option<String> {
    let first = records.first()?;
    let last = records.last()?;
    Some(format!(
        "inventory/{}/{}-{}.jsonl",
        first.shard_id(),
        first.kinesis.sequence_number,
        last.kinesis.sequence_number
    ))
}

/// The archived lines: each record as received (base64 data included), one JSON per line.
pub fn archive_body(records: &[WireRecord]) -> Vec<u8> {
    let mut body = Vec::with_capacity(records.len() * 160);
    for r in records {
        serde_json::to_writer(&mut body, r).expect("a record always serialises");
        body.push(b'\n');
    }
    body
}

/// The quarantine message: the record as received and why it can never be applied.
pub fn quarantine_body(record: &WireRecord, reason: &str) -> String {
    serde_json::json!({
        "reason": reason,
        "shard_id": record.shard_id(),
        "sequence_number": record.kinesis.sequence_number,
        "partition_key": record.kinesis.partition_key,
        "data": record.kinesis.data,
        "approximate_arrival_timestamp": record.kinesis.approximate_arrival_timestamp,
    })
    .to_string()
}

pub(crate) fn boxed(e: impl std::fmt::Display) -> BoxError {
    e.to_string().into()
}
