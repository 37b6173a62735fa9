//! `Stream`: a provisioned Kinesis data stream.

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, sub, Json};

pub const SPEC: Spec = Spec {
    word: "Stream",
    noun: "stream",
    props: &[
        opt("name", Ty::Name),
        req("shards", Ty::Int { min: 1, max: 500 }),
        opt("encryption", Ty::Word(&["Kms", "None"])),
        opt("retention_hours", Ty::Int { min: 24, max: 8760 }),
        opt("removal", REMOVAL),
    ],
    attrs: &["name", "arn"],
    access: &[
        Access {
            level: "read",
            actions: &[
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:ListShards",
                "kinesis:SubscribeToShard",
            ],
        },
        Access { level: "write", actions: &["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"] },
    ],
    naming: Some(Naming { min: 1, max: 128, extra: "-_.", lowercase: false, letter_first: false }),
    service: Some(Service::Kinesis),
    vpc_port: None,
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let mut props = json!({
        "Name": sub(r.str("name").unwrap_or_default()),
        "ShardCount": r.int("shards").unwrap_or(1),
        "RetentionPeriodHours": r.int("retention_hours").unwrap_or(24),
        "StreamModeDetails": { "StreamMode": "PROVISIONED" },
    });
    if r.word("encryption") == Some("Kms") {
        props["StreamEncryption"] = json!({ "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis" });
    }
    cx.add_stateful(&l, "AWS::Kinesis::Stream", props, r);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "name" => r#ref(lid),
        _ => get_att(lid, "Arn"),
    }
}
