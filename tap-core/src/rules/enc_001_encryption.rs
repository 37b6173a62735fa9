use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::BucketEncryption;
use crate::kinds::queue::QueueEncryption;
use crate::kinds::stream::StreamEncryption;
use crate::kinds::table::TableEncryption;
use crate::kinds::topic::TopicEncryption;
use crate::kinds::view::{at_or, on};
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-ENC-001",
    title: "Data is encrypted at rest and in transit, explicitly",
    mistake: "seed mistake 18: no explicit encryption for Kinesis, no S3 encryption type",
    seed: "kinesis.Stream(self, \"InventoryStream\", stream_name=..., shard_count=2)  (no encryption=)",
    explanation: "Encryption is stated, not assumed: Kinesis with KMS, S3 with SSE plus a TLS-only \
        policy and public access blocked, RDS storage encrypted, Redis encrypted at rest and in \
        transit, SQS with SSE, DynamoDB with the KMS key (whose use CloudTrail records), SNS with \
        KMS plus a TLS-only policy. A reviewer (and an auditor) reads it in the stack.",
    fix: "Set the property the message names.",
    lifecycle: None,
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        let mut need = |loc: crate::model::Loc, ok: bool, what: &str, fix: &str| {
            if !ok {
                out.push(Finding::new(RULE.id, loc, format!("{} {what}", node.label), fix.to_owned()));
            }
        };
        match &node.res {
            Res::Stream(s) => need(at_or(&s.encryption, i), s.encryption.as_deref() == Some(&StreamEncryption::Kms), "is not encrypted with KMS", "write `encryption: Kms`"),
            Res::Bucket(b) => {
                need(
                    at_or(&b.encryption, i),
                    matches!(b.encryption.as_deref(), Some(BucketEncryption::S3Managed | BucketEncryption::Kms)),
                    "declares no server-side encryption",
                    "write `encryption: S3Managed` (or `Kms`)",
                );
                need(at_or(&b.enforce_tls, i), on(&b.enforce_tls), "accepts requests without TLS", "write `enforce_tls: true`");
                need(at_or(&b.block_public_access, i), on(&b.block_public_access), "does not block public access", "write `block_public_access: true`");
            }
            Res::Database(d) => need(at_or(&d.storage_encrypted, i), on(&d.storage_encrypted), "has unencrypted storage", "write `storage_encrypted: true`"),
            Res::Cache(c) => {
                need(at_or(&c.at_rest_encryption, i), on(&c.at_rest_encryption), "is not encrypted at rest", "write `at_rest_encryption: true`");
                need(at_or(&c.transit_encryption, i), on(&c.transit_encryption), "is not encrypted in transit", "write `transit_encryption: true`");
            }
            Res::Queue(q) => need(
                at_or(&q.encryption, i),
                matches!(q.encryption.as_deref(), Some(QueueEncryption::SqsManaged | QueueEncryption::Kms)),
                "is not encrypted",
                "write `encryption: SqsManaged` (or `Kms`)",
            ),
            Res::Table(t) => need(
                at_or(&t.encryption, i),
                t.encryption.as_deref() == Some(&TableEncryption::Kms),
                "is not encrypted with a KMS key whose use the account can audit",
                "write `encryption: Kms`",
            ),
            Res::Topic(t) => {
                need(at_or(&t.encryption, i), t.encryption.as_deref() == Some(&TopicEncryption::Kms), "is not encrypted", "write `encryption: Kms`");
                need(at_or(&t.enforce_tls, i), on(&t.enforce_tls), "accepts publishes without TLS", "write `enforce_tls: true`");
            }
            _ => {}
        }
    }
    out
}
