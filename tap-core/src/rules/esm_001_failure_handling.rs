use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

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
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in cx.stack.of_kind(Kind::EventSource) {
        if let Some(queue) = e.target("queue") {
            check_queue_source(cx, i, e, queue, &mut out);
            continue;
        }
        let label = format!("event source `{}` -> `{}`", e.target("stream").unwrap_or_default(), e.target("target").unwrap_or_default());
        let mut missing = |key: &str, why: &str, fix: &str| {
            let loc = if e.get(key).is_some() { Loc::prop(i, key) } else { Loc::resource(i) };
            out.push(Finding::new(RULE.id, loc, format!("{label} {why}"), fix.to_owned()));
        };
        match e.int("retries") {
            None | Some(-1) => missing("retries", "retries a failing batch until its records expire", "write `retries: 3`"),
            _ => {}
        }
        match e.int("max_record_age_seconds") {
            None | Some(-1) => missing("max_record_age_seconds", "has no maximum record age", "write `max_record_age_seconds: 3600`"),
            _ => {}
        }
        if e.bool("bisect_on_error") != Some(true) {
            missing("bisect_on_error", "does not bisect a failing batch to isolate the bad record", "write `bisect_on_error: true`");
        }
        if e.bool("report_batch_item_failures") != Some(true) {
            missing("report_batch_item_failures", "cannot report which record failed, so the whole batch is replayed", "write `report_batch_item_failures: true`");
        }
        if e.get("on_failure").is_none() {
            missing("on_failure", "drops records that exhaust their retries", "write `on_failure: <queue>`");
        }
        if e.word("starting_position") != Some("TrimHorizon") {
            missing("starting_position", "skips records written before the mapping exists", "write `starting_position: TrimHorizon`");
        }
    }
    out
}

fn check_queue_source(cx: &Cx, i: usize, e: &crate::model::Resource, queue: &str, out: &mut Vec<Finding>) {
    let label = format!("event source `{queue}` -> `{}`", e.target("target").unwrap_or_default());
    if e.bool("report_batch_item_failures") != Some(true) {
        let loc = if e.get("report_batch_item_failures").is_some() { Loc::prop(i, "report_batch_item_failures") } else { Loc::resource(i) };
        out.push(Finding::new(RULE.id, loc, format!("{label} cannot report which message failed, so the whole batch is redelivered"), "write `report_batch_item_failures: true`"));
    }
    let source = cx.stack.find(queue).map(|q| &cx.stack.resources[q]);
    // Lambda refuses the mapping (and the deployment fails) when a message could become
    // visible again while the function is still working on it.
    let function = e.target("target").and_then(|f| cx.stack.resolve(f));
    if let (Some(q), Some(f)) = (source, function) {
        let visibility = q.int("visibility_timeout_seconds").unwrap_or(30);
        let timeout = f.int("timeout_seconds").unwrap_or(30);
        if visibility < timeout {
            out.push(Finding::new(
                RULE.id,
                Loc::prop(i, "queue"),
                format!("{label}: queue `{queue}` hides a message for {visibility} s, less than the function's {timeout} s timeout"),
                format!("set `visibility_timeout_seconds: {}` (six times the timeout) on `{queue}`", timeout * 6),
            ));
        }
    }
    if source.is_some_and(|q| q.get("dead_letter").is_none()) {
        out.push(Finding::new(
            RULE.id,
            Loc::prop(i, "queue"),
            format!("{label}: queue `{queue}` has no dead-letter queue, so a poison message is received forever"),
            format!("add `dead_letter: <queue>, max_receive_count: 5` to `{queue}`"),
        ));
    }
}
