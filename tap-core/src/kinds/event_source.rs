//! `EventSource`: a Kinesis stream or an SQS queue feeding a function, with the failure
//! handling that keeps a poison record from blocking a shard or vanishing.

use serde_json::json;

use super::*;
use crate::synth::{r#ref, Json};

pub const SPEC: Spec = Spec {
    word: "EventSource",
    noun: "event source",
    props: &[
        opt("stream", Ty::Ref(&[Kind::Stream])),
        opt("queue", Ty::Ref(&[Kind::Queue])),
        req("target", Ty::Ref(&[Kind::Function])),
        opt("batch_size", Ty::Int { min: 1, max: 10000 }),
        opt("batching_window_seconds", Ty::Int { min: 0, max: 300 }),
        opt("parallelization", Ty::Int { min: 1, max: 10 }),
        opt("starting_position", Ty::Word(&["TrimHorizon", "Latest"])),
        opt("retries", Ty::Int { min: -1, max: 10000 }),
        opt("bisect_on_error", Ty::Bool),
        opt("max_record_age_seconds", Ty::Int { min: -1, max: 604800 }),
        opt("on_failure", Ty::Ref(&[Kind::Queue])),
        opt("report_batch_item_failures", Ty::Bool),
    ],
    attrs: &[],
    access: &[],
    naming: None,
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let function = cx.target_lid(r, "target");
    if r.get("queue").is_some() {
        // SQS: retries, age and dead letters belong to the queue's redrive policy.
        let queue = cx.target_lid(r, "queue");
        let mut props = json!({
            "EventSourceArn": crate::synth::get_att(&queue, "Arn"),
            "FunctionName": r#ref(&function),
            "BatchSize": r.int("batch_size").unwrap_or(10),
            "MaximumBatchingWindowInSeconds": r.int("batching_window_seconds").unwrap_or(0),
        });
        if r.bool("report_batch_item_failures") == Some(true) {
            props["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
        }
        cx.add(&l, "AWS::Lambda::EventSourceMapping", props);
        return;
    }
    let stream = cx.target_lid(r, "stream");
    let mut props = json!({
        "EventSourceArn": crate::synth::get_att(&stream, "Arn"),
        "FunctionName": r#ref(&function),
        "StartingPosition": if r.word("starting_position") == Some("Latest") { "LATEST" } else { "TRIM_HORIZON" },
        "BatchSize": r.int("batch_size").unwrap_or(100),
        "MaximumBatchingWindowInSeconds": r.int("batching_window_seconds").unwrap_or(0),
        "ParallelizationFactor": r.int("parallelization").unwrap_or(1),
        "BisectBatchOnFunctionError": r.bool("bisect_on_error").unwrap_or(false),
    });
    if let Some(n) = r.int("retries") {
        props["MaximumRetryAttempts"] = json!(n);
    }
    if let Some(n) = r.int("max_record_age_seconds") {
        props["MaximumRecordAgeInSeconds"] = json!(n);
    }
    if r.get("on_failure").is_some() {
        let queue = cx.target_lid(r, "on_failure");
        props["DestinationConfig"] = json!({ "OnFailure": { "Destination": crate::synth::get_att(&queue, "Arn") } });
    }
    if r.bool("report_batch_item_failures") == Some(true) {
        props["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
    }
    cx.add(&l, "AWS::Lambda::EventSourceMapping", props);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    r#ref(lid)
}
