//! `Alarm`: a CloudWatch alarm on a function's or a queue's metric.

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, sub, Json};

/// Each metric word: the kind it watches, namespace, metric name, statistic.
pub const METRICS: &[(&str, Kind, &str, &str, &str)] = &[
    ("Errors", Kind::Function, "AWS/Lambda", "Errors", "Sum"),
    ("Throttles", Kind::Function, "AWS/Lambda", "Throttles", "Sum"),
    ("IteratorAge", Kind::Function, "AWS/Lambda", "IteratorAge", "Maximum"),
    ("QueueDepth", Kind::Queue, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"),
    ("OldestMessageAge", Kind::Queue, "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum"),
];

pub const SPEC: Spec = Spec {
    word: "Alarm",
    noun: "alarm",
    props: &[
        opt("name", Ty::Name),
        req("on", Ty::Ref(&[Kind::Function, Kind::Queue])),
        req("metric", Ty::Word(&["Errors", "Throttles", "IteratorAge", "QueueDepth", "OldestMessageAge"])),
        req("threshold", Ty::Int { min: 0, max: i64::MAX }),
        opt("periods", Ty::Int { min: 1, max: 100 }),
    ],
    attrs: &["arn"],
    access: &[],
    naming: Some(Naming { min: 1, max: 255, extra: "-_./ ", lowercase: false, letter_first: false }),
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn metric(word: &str) -> Option<&'static (&'static str, Kind, &'static str, &'static str, &'static str)> {
    METRICS.iter().find(|m| m.0 == word)
}

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let Some(&(word, kind, namespace, metric_name, statistic)) = metric(r.word("metric").unwrap_or_default()) else { return };
    let target = cx.target_lid(r, "on");
    let dimension = if kind == Kind::Function {
        json!({ "Name": "FunctionName", "Value": r#ref(&target) })
    } else {
        json!({ "Name": "QueueName", "Value": get_att(&target, "QueueName") })
    };
    cx.add(
        &l,
        "AWS::CloudWatch::Alarm",
        json!({
            "AlarmName": sub(r.str("name").unwrap_or_default()),
            "AlarmDescription": format!("{word} of {} at or above {}", r.target("on").unwrap_or_default(), r.int("threshold").unwrap_or(0)),
            "Namespace": namespace,
            "MetricName": metric_name,
            "Dimensions": [dimension],
            "Statistic": statistic,
            "Period": 60,
            "EvaluationPeriods": r.int("periods").unwrap_or(1),
            "Threshold": r.int("threshold").unwrap_or(1),
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
        }),
    );
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    get_att(lid, "Arn")
}
