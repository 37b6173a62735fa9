use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::event_source::{EventSource, StartingPosition};
use crate::kinds::queue::Queue;
use crate::kinds::value::{at_or, Ref};

pub static RULE: Rule = Rule {
    id: "TAP-ESM-001",
    title: "An event source handles failure: bounded, bisected, reported, kept",
    mistake: "seed mistake 15: event source mapping with no retry limit, no bisect, no failure destination (and LATEST)",
    seed: "lambda_.EventSourceMapping(..., starting_position=lambda_.StartingPosition.LATEST, batch_size=100)",
    explanation: "By default a failing Kinesis batch is retried until its records expire, blocking \
        the shard, and then is dropped without a trace. A stream source must bound retries and \
        record age, bisect failing batches, report per-record failures (ReportBatchItemFailures) so \
        one bad record does not replay the batch, send what still fails to a queue, and start at \
        TRIM_HORIZON so records written before the mapping existed are not skipped. An SQS source \
        reports per-message failures, its queue has a dead-letter queue (`dead_letter`), which \
        bounds the receives of a poison message, and a visibility timeout no shorter than the \
        function's timeout (Lambda rejects the mapping otherwise).",
    fix: "Set retries, max_record_age_seconds, bisect_on_error, report_batch_item_failures, on_failure and starting_position: TrimHorizon.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("without failure handling one bad record blocks its shard until the record expires, or is lost; no service means either"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in cx.stack.of::<EventSource>() {
        if let Some(queue) = &e.queue {
            check_queue_source(cx, i, e, queue, &mut out);
            continue;
        }
        let label = format!("event source `{}` -> `{}`", e.source_name(), e.target.name);
        let mut missing =
            |loc, why: &str, fix: &str| out.push(Finding::new(RULE.id, loc, format!("{label} {why}"), fix.to_owned()));
        if e.retries.as_ref().is_none_or(|r| r.get() == -1) {
            missing(at_or(&e.retries, i), "retries a failing batch until its records expire", "write `retries: 3`");
        }
        if e.max_record_age_seconds.as_ref().is_none_or(|a| a.get() == -1) {
            missing(
                at_or(&e.max_record_age_seconds, i),
                "has no maximum record age",
                "write `max_record_age_seconds: 3600`",
            );
        }
        if e.bisect_on_error.as_deref() != Some(&true) {
            missing(
                at_or(&e.bisect_on_error, i),
                "does not bisect a failing batch to isolate the bad record",
                "write `bisect_on_error: true`",
            );
        }
        if e.report_batch_item_failures.as_deref() != Some(&true) {
            missing(
                at_or(&e.report_batch_item_failures, i),
                "cannot report which record failed, so the whole batch is replayed",
                "write `report_batch_item_failures: true`",
            );
        }
        if e.on_failure.is_none() {
            missing(at_or(&e.on_failure, i), "drops records that exhaust their retries", "write `on_failure: <queue>`");
        }
        if e.starting_position.as_deref() != Some(&StartingPosition::TrimHorizon) {
            missing(
                at_or(&e.starting_position, i),
                "skips records written before the mapping exists",
                "write `starting_position: TrimHorizon`",
            );
        }
    }
    out
}

fn check_queue_source(
    cx: &Cx<'_>,
    i: usize,
    e: &EventSource,
    queue: &crate::kinds::value::At<Ref<Queue>>,
    out: &mut Vec<Finding>,
) {
    let name = &queue.name;
    let label = format!("event source `{name}` -> `{}`", e.target.name);
    if e.report_batch_item_failures.as_deref() != Some(&true) {
        let loc = at_or(&e.report_batch_item_failures, i);
        out.push(Finding::new(
            RULE.id,
            loc,
            format!("{label} cannot report which message failed, so the whole batch is redelivered"),
            "write `report_batch_item_failures: true`",
        ));
    }
    let q = cx.stack.get(queue);
    // Lambda refuses the mapping (and the deployment fails) when a message could become
    // visible again while the function is still working on it.
    let (visibility, timeout) = (q.visibility_timeout(), cx.stack.get(&e.target).timeout());
    if visibility < timeout {
        out.push(Finding::new(
            RULE.id,
            queue.loc.clone(),
            format!("{label}: queue `{name}` hides a message for {visibility} s, less than the function's {timeout} s timeout"),
            format!("set `visibility_timeout_seconds: {}` (six times the timeout) on `{name}`", timeout * 6),
        ));
    }
    if q.dead_letter.is_none() {
        out.push(Finding::new(
            RULE.id,
            queue.loc.clone(),
            format!("{label}: queue `{name}` has no dead-letter queue, so a poison message is received forever"),
            format!("add `dead_letter: <queue>, max_receive_count: 5` to `{name}`"),
        ));
    }
}
