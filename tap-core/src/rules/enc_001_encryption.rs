use super::{Acknowledge, Cx, RawSetting, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{self, AtRest, Role, State};
use crate::kinds::raw::Raw;
use crate::kinds::view::Encrypted;
use crate::kinds::Res;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-ENC-001",
    title: "Data is encrypted at rest and in transit, explicitly",
    mistake: "seed mistake 18: no explicit encryption for Kinesis, no S3 encryption type",
    seed: "kinesis.Stream(self, \"InventoryStream\", stream_name=..., shard_count=2)  (no encryption=)",
    explanation: "Encryption is stated, not assumed: Kinesis with KMS, S3 with SSE plus a TLS-only \
        policy (public access is TAP-PUBLIC-001's), RDS storage encrypted, Redis encrypted at rest and in \
        transit, SQS with SSE, DynamoDB with the KMS key (whose use CloudTrail records), SNS with \
        KMS plus a TLS-only policy. A reviewer (and an auditor) reads it in the stack. The same \
        holds for CloudFormation written raw: every registry type that holds data states its \
        encryption at rest (`StorageEncrypted`, `Encrypted`, `EncryptionAtRestOptions`, \
        `SSESpecification`, ...) and, where it has one, in transit; a type that cannot encrypt \
        its data (a Redis `AWS::ElastiCache::CacheCluster`) cannot hold it.",
    fix: "Set the property the message names.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("encryption at rest and in transit costs nothing a service notices and no design needs it off; what a public resource needs open is TAP-PUBLIC-001's to acknowledge"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let at_rest = cx.raw_settings(Role::AtRest);
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        // A kind states its own (`Hooks::encryption`); raw CloudFormation is read by its
        // registry type's settings.
        let stated = match &node.res {
            Res::Raw(raw) if deployed::holds_data(raw.schema) => raw_at_rest(i, raw, &at_rest),
            res => res.hooks().encryption(i),
        };
        for Encrypted { loc, ok, what, fix } in stated {
            if !ok {
                out.push(Finding::new(RULE.id, loc, format!("{} {what}", node.label), fix));
            }
        }
    }
    out.extend(raw_in_transit(cx));
    out
}

/// A raw type that holds data: encrypted at rest by a setting, always, or never (then it
/// cannot hold the data, and nothing else is said: its fix replaces it).
fn raw_at_rest(i: usize, raw: &Raw, at_rest: &[RawSetting<'_>]) -> Vec<Encrypted> {
    match deployed::at_rest(raw.schema) {
        AtRest::Never(fix) => vec![Encrypted { loc: Loc::resource(i), ok: false, what: "holds data and cannot encrypt it at rest", fix: fix.to_owned() }],
        AtRest::Always(_) => Vec::new(),
        AtRest::Settings => {
            let readings = at_rest.iter().filter(|r| r.i == i).collect::<Vec<_>>();
            let ok = readings.iter().any(|r| matches!(r.reading.state, State::On | State::Unknown));
            let first = readings.first();
            let fix = first.map_or("state its encryption at rest".to_owned(), |r| format!("write `{}`", r.write(true, 0)));
            vec![Encrypted { loc: first.map_or(Loc::resource(i), |r| r.reading.loc.clone()), ok, what: "is not encrypted at rest", fix }]
        }
    }
}

/// In transit, wherever a raw type that holds data can encrypt on the wire.
fn raw_in_transit(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in cx.raw_settings(Role::InTransit) {
        let can_hold = !matches!(deployed::at_rest(r.raw.schema), AtRest::Never(_));
        if deployed::holds_data(r.raw.schema) && can_hold && matches!(r.reading.state, State::Off | State::Absent) {
            out.push(Finding::new(
                RULE.id,
                r.reading.loc.clone(),
                format!("{} is not encrypted in transit", r.node.label),
                format!("write `{}`", r.write(true, 0)),
            ));
        }
    }
    out
}
