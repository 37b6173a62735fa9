//! `Queue`: an SQS queue (failure destinations, quarantine, work queues), with a TLS-only
//! queue policy.

use super::prelude::*;

words! {
    pub enum QueueEncryption { SqsManaged, Kms, None }
}

props! {
    pub struct Queue {
        name: opt Name,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
        encryption: opt QueueEncryption,
        /// Default 14.
        retention_days: opt Int<1, 14>,
        /// Default 30 (SQS's).
        visibility_timeout_seconds: opt Int<0, 43200>,
        dead_letter: opt Ref<Queue>,
        max_receive_count: opt Int<1, 1000>,
    }
}

/// What an SQS event source mapping needs (with the function's role).
pub const CONSUME: LevelDef = LevelDef {
    name: "consume",
    actions: &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
    arns: ArnShape::Arn,
    satisfies_env: true,
};
/// What a failure destination needs.
pub const SEND: LevelDef = LevelDef { name: "send", actions: &["sqs:SendMessage"], arns: ArnShape::Arn, satisfies_env: true };

pub const SPEC: Spec = Spec {
    attrs: &[attr("url", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn")), attr("name", AttrExpr::GetAtt("QueueName"))],
    levels: &[SEND, CONSUME],
    arn: Some(AttrExpr::GetAtt("Arn")),
    naming: Some(Naming { min: 1, max: 80, extra: "-_", lowercase: false, letter_first: false }),
    service: Some(&ServiceDef { word: "Sqs", endpoint: "sqs", gateway: false }),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    exported: Exported::WhenFilledFromOutside,
    handle: Some(HandleDef { ty: "Queue", attr: "url" }),
    cfn_type: Some("AWS::SQS::Queue"),
    existing: Some(&ExistingDef {
        id: "arn",
        param_type: "String",
        pattern: Some("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,75}(\\.fifo)?$"),
        derive: &[("url", "https://sqs.{arn:3}.${AWS::URLSuffix}/{arn:4}/{arn:5}"), ("name", "{arn:5}")],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Queue", "queue", "An SQS queue, optionally with a dead-letter queue.", <Queue as super::decode::Decode>::PROPS)
};

impl Queue {
    /// SQS's default when the stack does not say.
    pub fn visibility_timeout(&self) -> i64 {
        self.visibility_timeout_seconds.as_deref().map_or(30, |v| v.get())
    }
}

impl Hooks for Queue {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let sse = matches!(self.encryption.as_deref(), Some(QueueEncryption::SqsManaged | QueueEncryption::Kms));
        vec![Encrypted::of(&self.encryption, i, sse, "is not encrypted", "write `encryption: SqsManaged` (or `Kms`)")]
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut props = json!({
            "QueueName": sub(written(&self.name)),
            "MessageRetentionPeriod": self.retention_days.as_deref().map_or(14, |d| d.get()) * 86400,
        });
        if let Some(v) = &self.visibility_timeout_seconds {
            props["VisibilityTimeout"] = json!(v.get());
        }
        if let Some(dlq) = &self.dead_letter {
            props["RedrivePolicy"] = json!({ "deadLetterTargetArn": get_att(&cx.lid_of(dlq), "Arn"), "maxReceiveCount": self.max_receive_count.as_deref().map_or(5, |n| n.get()) });
        }
        match self.encryption.as_deref() {
            Some(QueueEncryption::SqsManaged) => props["SqsManagedSseEnabled"] = json!(true),
            Some(QueueEncryption::Kms) => props["KmsMasterKeyId"] = json!("alias/aws/sqs"),
            Some(QueueEncryption::None) | None => props["SqsManagedSseEnabled"] = json!(false),
        }
        cx.add_data(i, &l, "AWS::SQS::Queue", props);
        // TLS only, like the bucket's policy: SQS accepts plain-HTTP requests otherwise
        // (cdk-nag SQS4). Every queue, not an option: nothing needs plaintext.
        cx.out.add(
            format!("{l}Policy"),
            "AWS::SQS::QueuePolicy",
            json!({
                "Queues": [r#ref(&l)],
                "PolicyDocument": { "Version": "2012-10-17", "Statement": [deny_insecure_transport("sqs:*", get_att(&l, "Arn"))] },
            }),
        );
    }
}
