use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-ENC-001",
    title: "Data is encrypted at rest and in transit, explicitly",
    mistake: "seed mistake 18: no explicit encryption for Kinesis, no S3 encryption type",
    seed: "kinesis.Stream(self, \"InventoryStream\", stream_name=..., shard_count=2)  (no encryption=)",
    explanation: "Encryption is stated, not assumed: Kinesis with KMS, S3 with SSE plus a TLS-only \
        policy and public access blocked, RDS storage encrypted, Redis encrypted at rest and in \
        transit, SQS with SSE. A reviewer (and an auditor) reads it in the stack.",
    fix: "Set the property the message names.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, r) in cx.stack.resources.iter().enumerate() {
        let mut need = |key: &str, ok: bool, what: &str, fix: &str| {
            if !ok {
                let loc = if r.get(key).is_some() { Loc::prop(i, key) } else { Loc::resource(i) };
                out.push(Finding::new(RULE.id, loc, format!("{} {what}", r.label()), fix.to_owned()));
            }
        };
        match r.kind {
            Kind::Stream => need("encryption", r.word("encryption") == Some("Kms"), "is not encrypted with KMS", "write `encryption: Kms`"),
            Kind::Bucket => {
                need("encryption", matches!(r.word("encryption"), Some("S3Managed" | "Kms")), "declares no server-side encryption", "write `encryption: S3Managed` (or `Kms`)");
                need("enforce_tls", r.bool("enforce_tls") == Some(true), "accepts requests without TLS", "write `enforce_tls: true`");
                need("block_public_access", r.bool("block_public_access") == Some(true), "does not block public access", "write `block_public_access: true`");
            }
            Kind::Database => need("storage_encrypted", r.bool("storage_encrypted") == Some(true), "has unencrypted storage", "write `storage_encrypted: true`"),
            Kind::Cache => {
                need("at_rest_encryption", r.bool("at_rest_encryption") == Some(true), "is not encrypted at rest", "write `at_rest_encryption: true`");
                need("transit_encryption", r.bool("transit_encryption") == Some(true), "is not encrypted in transit", "write `transit_encryption: true`");
            }
            Kind::Queue => need("encryption", matches!(r.word("encryption"), Some("SqsManaged" | "Kms")), "is not encrypted", "write `encryption: SqsManaged` (or `Kms`)"),
            _ => {}
        }
    }
    out
}
