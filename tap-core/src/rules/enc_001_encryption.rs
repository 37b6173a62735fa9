use super::{Acknowledge, Cx, RawSetting, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::BucketEncryption;
use crate::kinds::deployed::{self, AtRest, Role, State};
use crate::kinds::queue::QueueEncryption;
use crate::kinds::raw::Raw;
use crate::kinds::stream::StreamEncryption;
use crate::kinds::table::TableEncryption;
use crate::kinds::topic::TopicEncryption;
use crate::kinds::value::{at_or, on};
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
        for Need { loc, ok, what, fix } in stated(i, &node.res, &at_rest) {
            if !ok {
                out.push(Finding::new(RULE.id, loc, format!("{} {what}", node.label), fix));
            }
        }
    }
    out.extend(raw_in_transit(cx));
    out
}

/// One statement a resource must make: where, whether it does, what is missing, the fix.
struct Need {
    loc: Loc,
    ok: bool,
    what: &'static str,
    fix: String,
}

fn need(loc: Loc, ok: bool, what: &'static str, fix: impl Into<String>) -> Need {
    Need { loc, ok, what, fix: fix.into() }
}

/// What resource `i` must state of its encryption, by kind.
fn stated(i: usize, res: &Res, at_rest: &[RawSetting<'_>]) -> Vec<Need> {
    match res {
        Res::Stream(s) => vec![need(
            at_or(&s.encryption, i),
            s.encryption.as_deref() == Some(&StreamEncryption::Kms),
            "is not encrypted with KMS",
            "write `encryption: Kms`",
        )],
        Res::Bucket(b) => vec![
            need(
                at_or(&b.encryption, i),
                matches!(b.encryption.as_deref(), Some(BucketEncryption::S3Managed | BucketEncryption::Kms)),
                "declares no server-side encryption",
                "write `encryption: S3Managed` (or `Kms`)",
            ),
            need(at_or(&b.enforce_tls, i), on(&b.enforce_tls), "accepts requests without TLS", "write `enforce_tls: true`"),
        ],
        Res::Database(d) => vec![need(
            at_or(&d.storage_encrypted, i),
            on(&d.storage_encrypted),
            "has unencrypted storage",
            "write `storage_encrypted: true`",
        )],
        Res::Cache(c) => vec![
            need(
                at_or(&c.at_rest_encryption, i),
                on(&c.at_rest_encryption),
                "is not encrypted at rest",
                "write `at_rest_encryption: true`",
            ),
            need(
                at_or(&c.transit_encryption, i),
                on(&c.transit_encryption),
                "is not encrypted in transit",
                "write `transit_encryption: true`",
            ),
        ],
        Res::Queue(q) => vec![need(
            at_or(&q.encryption, i),
            matches!(q.encryption.as_deref(), Some(QueueEncryption::SqsManaged | QueueEncryption::Kms)),
            "is not encrypted",
            "write `encryption: SqsManaged` (or `Kms`)",
        )],
        Res::Table(t) => vec![need(
            at_or(&t.encryption, i),
            t.encryption.as_deref() == Some(&TableEncryption::Kms),
            "is not encrypted with a KMS key whose use the account can audit",
            "write `encryption: Kms`",
        )],
        Res::Topic(t) => vec![
            need(
                at_or(&t.encryption, i),
                t.encryption.as_deref() == Some(&TopicEncryption::Kms),
                "is not encrypted",
                "write `encryption: Kms`",
            ),
            need(at_or(&t.enforce_tls, i), on(&t.enforce_tls), "accepts publishes without TLS", "write `enforce_tls: true`"),
        ],
        Res::Raw(raw) if deployed::holds_data(raw.schema) => raw_at_rest(i, raw, at_rest),
        Res::Raw(_)
        | Res::Vpc(_)
        | Res::Endpoint(_)
        | Res::SecurityGroup(_)
        | Res::Ingress(_)
        | Res::Secret(_)
        | Res::DatabaseUser(_)
        | Res::Function(_)
        | Res::Role(_)
        | Res::LogGroup(_)
        | Res::EventSource(_)
        | Res::Schedule(_)
        | Res::Api(_)
        | Res::Alarm(_)
        | Res::Output(_)
        | Res::Existing(_) => Vec::new(),
    }
}

/// A raw type that holds data: encrypted at rest by a setting, always, or never (then it
/// cannot hold the data, and nothing else is said: its fix replaces it).
fn raw_at_rest(i: usize, raw: &Raw, at_rest: &[RawSetting<'_>]) -> Vec<Need> {
    match deployed::at_rest(raw.schema) {
        AtRest::Never(fix) => vec![need(Loc::resource(i), false, "holds data and cannot encrypt it at rest", fix)],
        AtRest::Always(_) => Vec::new(),
        AtRest::Settings => {
            let readings = at_rest.iter().filter(|r| r.i == i).collect::<Vec<_>>();
            let ok = readings.iter().any(|r| matches!(r.reading.state, State::On | State::Unknown));
            let first = readings.first();
            let fix = first.map_or("state its encryption at rest".to_owned(), |r| format!("write `{}`", r.write(true, 0)));
            vec![need(first.map_or(Loc::resource(i), |r| r.reading.loc.clone()), ok, "is not encrypted at rest", fix)]
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
