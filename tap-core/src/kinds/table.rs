//! `Table`: a DynamoDB table, billed per request, encrypted with the AWS-managed KMS key.
//! Its point-in-time recovery and deletion protection are what a throwaway stack must not
//! have (TAP-DESTROY-004, -003): both keep data or the table after the stack is gone.

use super::prelude::*;

words! {
    /// The type of a key attribute, in DynamoDB's own letters: string, number, binary.
    /// (Not `String`: a public item of that name would make rustc spell `std::string::String`
    /// in full in every diagnostic of a crate that links tap.)
    pub enum KeyType { S, N, B }
}

words! {
    /// `Kms`: the AWS-managed key (`alias/aws/dynamodb`), whose use CloudTrail records;
    /// `AwsOwned`: DynamoDB's default key, invisible to the account.
    pub enum TableEncryption { Kms, AwsOwned }
}

props! {
    pub struct Table {
        name: opt Name,
        partition_key: req String,
        /// Default `S`.
        partition_key_type: opt KeyType,
        sort_key: opt String,
        /// Default `S`.
        sort_key_type: opt KeyType,
        /// An attribute holding an epoch-seconds expiry: DynamoDB deletes expired items.
        ttl_attribute: opt String,
        encryption: opt TableEncryption,
        /// Default by lifecycle: off when ephemeral, on when durable.
        point_in_time_recovery: opt bool,
        /// Default by lifecycle: off when ephemeral, on when durable.
        deletion_protection: opt bool,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
    }
}

/// Queries may use the table's indexes: `arn/index/*`. (The batch and transaction calls
/// name their tables in the request, so a handle cannot pre-fill them: they are left out.)
const READ_ACTIONS: &[&str] = &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable"];
const WRITE_ACTIONS: &[&str] = &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    levels: &[
        LevelDef { name: "read", actions: READ_ACTIONS, arns: ArnShape::ArnAndUnder("/index/*"), satisfies_env: true },
        LevelDef { name: "write", actions: WRITE_ACTIONS, arns: ArnShape::Arn, satisfies_env: true },
        LevelDef {
            name: "read_write",
            actions: &[
                "dynamodb:GetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:DescribeTable",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
            ],
            arns: ArnShape::ArnAndUnder("/index/*"),
            satisfies_env: true,
        },
    ],
    arn: Some(AttrExpr::GetAtt("Arn")),
    naming: Some(Naming { min: 3, max: 255, extra: "-_.", lowercase: false, letter_first: false }),
    service: Some(&ServiceDef { word: "DynamoDb", endpoint: "dynamodb", gateway: true }),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    exported: true,
    handle: Some(HandleDef { ty: "Table", attr: "name" }),
    cfn_type: Some("AWS::DynamoDB::Table"),
    existing: Some(&ExistingDef {
        id: "arn",
        param_type: "String",
        pattern: Some("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$"),
        derive: &[("name", "{arn:5/1}")],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Table", "table", "A DynamoDB table billed per request, with a partition and optional sort key.", <Table as super::decode::Decode>::PROPS)
};


impl Hooks for Table {

    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        if let (Some(ty), None) = (&self.sort_key_type, &self.sort_key) {
            out.push(Finding::dsl(
                Dsl::Missing,
                ty.loc.clone(),
                format!("{} sets `sort_key_type` without a `sort_key`", stack.node(i).label),
                "add `sort_key: \"<attribute>\"` or remove `sort_key_type`",
            ));
        }
        if self.sort_key.as_deref() == Some(&self.partition_key.value) {
            if let Some(sk) = &self.sort_key {
                out.push(Finding::dsl(Dsl::Duplicate, sk.loc.clone(), "the sort key is the partition key", "choose a different attribute for `sort_key`"));
            }
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let key_type = |t: &Option<At<KeyType>>| t.as_deref().copied().unwrap_or(KeyType::S).word();
        let mut attrs = vec![json!({ "AttributeName": self.partition_key.value, "AttributeType": key_type(&self.partition_key_type) })];
        let mut schema = vec![json!({ "AttributeName": self.partition_key.value, "KeyType": "HASH" })];
        if let Some(sk) = &self.sort_key {
            attrs.push(json!({ "AttributeName": sk.value, "AttributeType": key_type(&self.sort_key_type) }));
            schema.push(json!({ "AttributeName": sk.value, "KeyType": "RANGE" }));
        }
        // Derived from the lifecycle unless written: a kept table is protected from deletion
        // and can be restored to any second of the last 35 days.
        let keeps = cx.keeps(i);
        let mut props = json!({
            "TableName": sub(written(&self.name)),
            "AttributeDefinitions": attrs,
            "KeySchema": schema,
            "BillingMode": "PAY_PER_REQUEST",
            "SSESpecification": { "SSEEnabled": self.encryption.as_deref() == Some(&TableEncryption::Kms) },
            "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": self.point_in_time_recovery.as_deref().copied().unwrap_or(keeps) },
            "DeletionProtectionEnabled": self.deletion_protection.as_deref().copied().unwrap_or(keeps),
        });
        if let Some(ttl) = &self.ttl_attribute {
            props["TimeToLiveSpecification"] = json!({ "AttributeName": ttl.value, "Enabled": true });
        }
        cx.add_data(i, &l, "AWS::DynamoDB::Table", props);
    }
}
