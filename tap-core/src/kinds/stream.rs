//! `Stream`: a provisioned Kinesis data stream.

use super::prelude::*;

words! {
    pub enum StreamEncryption { Kms, None }
}

props! {
    pub struct Stream {
        name: opt Name,
        shards: req Int<1, 500>,
        encryption: opt StreamEncryption,
        /// Default 24.
        retention_hours: opt Int<24, 8760>,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
    }
}

/// What a consumer needs: an event source mapping reads with the function's role.
pub const READ: LevelDef = LevelDef {
    name: "read",
    actions: &[
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
    ],
    arns: ArnShape::Arn,
    satisfies_env: true,
};

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    levels: &[
        READ,
        LevelDef {
            name: "write",
            actions: &["kinesis:PutRecord", "kinesis:PutRecords"],
            arns: ArnShape::Arn,
            satisfies_env: true,
        },
    ],
    arn: Some(AttrExpr::GetAtt("Arn")),
    naming: Some(Naming { min: 1, max: 128, extra: "-_.", lowercase: false, letter_first: false }),
    service: Some(&ServiceDef { word: "Kinesis", endpoint: "kinesis-streams", gateway: false }),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    exported: Exported::Always,
    handle: Some(HandleDef { ty: "Stream", attr: "name" }),
    cfn_type: Some("AWS::Kinesis::Stream"),
    existing: Some(&ExistingDef {
        id: "arn",
        param_type: "String",
        pattern: Some("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]{1,128}$"),
        derive: &[("name", "{arn:5/1}")],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Stream", "stream", "A provisioned Kinesis data stream.", <Stream as super::decode::Decode>::PROPS)
};

impl Hooks for Stream {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let kms = self.encryption.as_deref() == Some(&StreamEncryption::Kms);
        vec![Encrypted::of(&self.encryption, i, kms, "is not encrypted with KMS", "write `encryption: Kms`")]
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut props = json!({
            "Name": sub(written(&self.name)),
            "ShardCount": self.shards.get(),
            "RetentionPeriodHours": self.retention_hours.as_deref().map_or(24, |h| h.get()),
            "StreamModeDetails": { "StreamMode": "PROVISIONED" },
        });
        if self.encryption.as_deref() == Some(&StreamEncryption::Kms) {
            props["StreamEncryption"] = json!({ "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis" });
        }
        cx.add_data(i, &l, "AWS::Kinesis::Stream", props);
    }
}
