//! `Queue`: an SQS queue (failure destinations, quarantine).

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, sub, Json};

pub const SPEC: Spec = Spec {
    word: "Queue",
    noun: "queue",
    props: &[
        opt("name", Ty::Name),
        opt("removal", REMOVAL),
        opt("encryption", Ty::Word(&["SqsManaged", "Kms", "None"])),
        opt("retention_days", Ty::Int { min: 1, max: 14 }),
        opt("visibility_timeout_seconds", Ty::Int { min: 0, max: 43200 }),
        opt("dead_letter", Ty::Ref(&[Kind::Queue])),
        opt("max_receive_count", Ty::Int { min: 1, max: 1000 }),
    ],
    attrs: &["url", "arn", "name"],
    access: &[
        Access { level: "send", actions: &["sqs:SendMessage", "sqs:GetQueueAttributes"] },
        Access {
            level: "consume",
            actions: &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        },
    ],
    naming: Some(Naming { min: 1, max: 80, extra: "-_", lowercase: false, letter_first: false }),
    service: Some(Service::Sqs),
    vpc_port: None,
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let mut props = json!({
        "QueueName": sub(r.str("name").unwrap_or_default()),
        "MessageRetentionPeriod": r.int("retention_days").unwrap_or(14) * 86400,
    });
    if let Some(v) = r.int("visibility_timeout_seconds") {
        props["VisibilityTimeout"] = json!(v);
    }
    if r.get("dead_letter").is_some() {
        let dlq = cx.target_lid(r, "dead_letter");
        props["RedrivePolicy"] = json!({ "deadLetterTargetArn": get_att(&dlq, "Arn"), "maxReceiveCount": r.int("max_receive_count").unwrap_or(5) });
    }
    match r.word("encryption") {
        Some("SqsManaged") => props["SqsManagedSseEnabled"] = json!(true),
        Some("Kms") => props["KmsMasterKeyId"] = json!("alias/aws/sqs"),
        _ => props["SqsManagedSseEnabled"] = json!(false),
    }
    cx.add_stateful(&l, "AWS::SQS::Queue", props, r);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "url" => r#ref(lid),
        "name" => get_att(lid, "QueueName"),
        _ => get_att(lid, "Arn"),
    }
}
