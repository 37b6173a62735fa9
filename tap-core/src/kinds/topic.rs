//! `Topic`: an SNS topic that functions publish to, encrypted with the AWS-managed KMS key
//! and, with `enforce_tls`, refusing publishes over plain HTTP. It passes messages through
//! and keeps none, so it has no removal policy.

use super::prelude::*;

words! {
    pub enum TopicEncryption { Kms, None }
}

props! {
    pub struct Topic {
        name: opt Name,
        display_name: opt String,
        encryption: opt TopicEncryption,
        enforce_tls: opt bool,
    }
}

pub const SPEC: Spec = Spec {
    // `Ref` of a topic is its ARN.
    attrs: &[attr("arn", AttrExpr::Ref), attr("name", AttrExpr::GetAtt("TopicName"))],
    levels: &[LevelDef { name: "publish", actions: &["sns:Publish"], arns: ArnShape::Arn, satisfies_env: true }],
    arn: Some(AttrExpr::Ref),
    naming: Some(Naming { min: 1, max: 256, extra: "-_", lowercase: false, letter_first: false }),
    service: Some(&ServiceDef { word: "Sns", endpoint: "sns", gateway: false }),
    exported: Exported::Always,
    handle: Some(HandleDef { ty: "Topic", attr: "arn" }),
    cfn_type: Some("AWS::SNS::Topic"),
    existing: Some(&ExistingDef {
        id: "arn",
        param_type: "String",
        pattern: Some("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,251}(\\.fifo)?$"),
        derive: &[("name", "{arn:5}")],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Topic", "topic", "An SNS topic functions publish to.", <Topic as super::decode::Decode>::PROPS)
};

impl Hooks for Topic {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let kms = self.encryption.as_deref() == Some(&TopicEncryption::Kms);
        vec![
            Encrypted::of(&self.encryption, i, kms, "is not encrypted", "write `encryption: Kms`"),
            Encrypted::of(&self.enforce_tls, i, on(&self.enforce_tls), "accepts publishes without TLS", "write `enforce_tls: true`"),
        ]
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut props = json!({ "TopicName": sub(written(&self.name)) });
        if let Some(d) = &self.display_name {
            props["DisplayName"] = json!(d.value);
        }
        if self.encryption.as_deref() == Some(&TopicEncryption::Kms) {
            props["KmsMasterKeyId"] = json!("alias/aws/sns");
        }
        cx.out.add(&l, "AWS::SNS::Topic", props);
        if self.enforce_tls.as_deref() == Some(&true) {
            cx.out.add(
                format!("{l}Policy"),
                "AWS::SNS::TopicPolicy",
                json!({
                    "Topics": [r#ref(&l)],
                    "PolicyDocument": { "Version": "2012-10-17", "Statement": [deny_insecure_transport("sns:Publish", r#ref(&l))] },
                }),
            );
        }
    }
}
