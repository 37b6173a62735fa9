//! `Table`: a DynamoDB table, billed per request, encrypted with the AWS-managed KMS key.
//! Its point-in-time recovery and deletion protection are what a throwaway stack must not
//! have (TAP-DESTROY-004, -003): both keep data or the table after the stack is gone.

use super::prelude::*;
use super::decode::{Decoder, FromValue};
use super::schema::Ty;
use crate::model::{Seg, Value};

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
        /// Secondary indexes, each projecting every attribute: `{ by_status: Global("status",
        /// N("received_at")), by_amount: Local(N("amount")) }`. Queries on them need the
        /// `read` grant, which covers the table's indexes.
        indexes: opt Indexes,
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
    exported: Exported::Always,
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


impl Table {
    pub fn indexes(&self) -> &[Index] {
        self.indexes.as_deref().map(|x| x.0.as_slice()).unwrap_or_default()
    }

    /// The table's own key attributes, with their types.
    fn key_attrs(&self) -> Vec<KeyAttr> {
        let key_type = |t: &Option<At<KeyType>>| t.as_deref().copied().unwrap_or(KeyType::S).word();
        let mut out = vec![KeyAttr { name: self.partition_key.value.clone(), ty: key_type(&self.partition_key_type) }];
        if let Some(sk) = &self.sort_key {
            out.push(KeyAttr { name: sk.value.clone(), ty: key_type(&self.sort_key_type) });
        }
        out
    }

    /// DynamoDB's limits on indexes: names unique, at most 20 global and 5 local ones, a
    /// local index only on a table with a sort key, one type per key attribute.
    fn validate_indexes(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        let mut typed = self.key_attrs();
        for (n, ix) in self.indexes().iter().enumerate() {
            if self.indexes()[..n].iter().any(|x| x.name == ix.name) {
                out.push(Finding::dsl(Dsl::Duplicate, ix.loc.clone(), format!("{label} has two indexes named `{}`", ix.name), "name each index once"));
            }
            if ix.local && self.sort_key.is_none() {
                out.push(Finding::dsl(Dsl::WrongType, ix.loc.clone(), format!("{label}: local index `{}` needs a table with a sort key", ix.name), "add `sort_key` to the table, or make the index `Global(..)`"));
            }
            for k in ix.partition.iter().chain(&ix.sort) {
                match typed.iter().find(|t| t.name == k.name) {
                    Some(t) if t.ty != k.ty => out.push(Finding::dsl(
                        Dsl::WrongType,
                        ix.loc.clone(),
                        format!("{label}: attribute `{}` is typed {} here and {} elsewhere", k.name, k.ty, t.ty),
                        "give a key attribute one type across the table and its indexes",
                    )),
                    Some(_) => {}
                    None => typed.push(k.clone()),
                }
            }
        }
        for (local, max) in [(false, 20), (true, 5)] {
            let count = self.indexes().iter().filter(|x| x.local == local).count();
            if count > max {
                let kind = if local { "local" } else { "global" };
                out.push(Finding::dsl(Dsl::WrongType, Loc::field(i, "indexes"), format!("{label} has {count} {kind} indexes; DynamoDB allows {max}"), "remove some"));
            }
        }
    }
}

impl Hooks for Table {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let kms = self.encryption.as_deref() == Some(&TableEncryption::Kms);
        vec![Encrypted::of(&self.encryption, i, kms, "is not encrypted with a KMS key whose use the account can audit", "write `encryption: Kms`")]
    }

    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        if let (Some(ty), None) = (&self.sort_key_type, &self.sort_key) {
            out.push(Finding::dsl(
                Dsl::Missing,
                ty.loc.clone(),
                format!("{} sets `sort_key_type` without a `sort_key`", stack.node(i).label),
                "add `sort_key: \"<attribute>\"` or remove `sort_key_type`",
            ));
        }
        self.validate_indexes(i, stack, out);
        if self.sort_key.as_deref() == Some(&self.partition_key.value) {
            if let Some(sk) = &self.sort_key {
                out.push(Finding::dsl(Dsl::Duplicate, sk.loc.clone(), "the sort key is the partition key", "choose a different attribute for `sort_key`"));
            }
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut attrs: Vec<Json> = self.key_attrs().iter().map(|k| json!({ "AttributeName": k.name, "AttributeType": k.ty })).collect();
        let mut schema = vec![json!({ "AttributeName": self.partition_key.value, "KeyType": "HASH" })];
        if let Some(sk) = &self.sort_key {
            schema.push(json!({ "AttributeName": sk.value, "KeyType": "RANGE" }));
        }
        for index in self.indexes() {
            for k in index.partition.iter().chain(&index.sort) {
                if !attrs.iter().any(|a| a["AttributeName"] == k.name.as_str()) {
                    attrs.push(json!({ "AttributeName": k.name, "AttributeType": k.ty }));
                }
            }
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
        let index_json = |ix: &Index| {
            let partition = ix.partition.as_ref().map_or(self.partition_key.value.as_str(), |p| p.name.as_str());
            let mut keys = vec![json!({ "AttributeName": partition, "KeyType": "HASH" })];
            if let Some(s) = &ix.sort {
                keys.push(json!({ "AttributeName": s.name, "KeyType": "RANGE" }));
            }
            json!({ "IndexName": ix.name, "KeySchema": keys, "Projection": { "ProjectionType": "ALL" } })
        };
        let (local, global): (Vec<&Index>, Vec<&Index>) = self.indexes().iter().partition(|ix| ix.local);
        if !global.is_empty() {
            props["GlobalSecondaryIndexes"] = Json::Array(global.into_iter().map(index_json).collect());
        }
        if !local.is_empty() {
            props["LocalSecondaryIndexes"] = Json::Array(local.into_iter().map(index_json).collect());
        }
        cx.add_data(i, &l, "AWS::DynamoDB::Table", props);
    }
}

/// A key attribute of an index: its name and DynamoDB's type letter (`S`, `N`, `B`);
/// written `"status"` (a string) or `N("amount")`.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAttr {
    pub name: String,
    pub ty: &'static str,
}

/// A secondary index of a table: `by_status: Global("status", N("received_at"))`, or
/// `by_amount: Local(N("amount"))` (the table's partition key, another sort key).
#[derive(Debug)]
pub struct Index {
    pub name: String,
    pub local: bool,
    /// A global index's partition key (a local one has the table's).
    pub partition: Option<KeyAttr>,
    pub sort: Option<KeyAttr>,
    pub loc: Loc,
}

/// A table's `indexes: { name: Global(..), .. }`, in the order written.
#[derive(Debug)]
pub struct Indexes(pub Vec<Index>);

/// How a fix line writes [`Indexes`].
const INDEXES: &str = "{ name: Global(\"partition\", \"sort\") or Local(\"sort\"), .. }";

/// `"attribute"` or `N("attribute")` (`S`, `N`, `B`): a key attribute and its type.
fn key_attr(v: &Value) -> Option<KeyAttr> {
    let (ty, name) = match v {
        Value::Str(name) => ("S", name),
        Value::Call { name: ty, args } => match (ty.as_str(), args.as_slice()) {
            ("S", [Value::Str(name)]) => ("S", name),
            ("N", [Value::Str(name)]) => ("N", name),
            ("B", [Value::Str(name)]) => ("B", name),
            _ => return None,
        },
        _ => return None,
    };
    (!name.is_empty()).then(|| KeyAttr { name: name.clone(), ty })
}

impl FromValue for Indexes {
    fn ty() -> Ty {
        Ty::Shape(INDEXES)
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut indexes = Vec::new();
        let mut ok = true;
        for (name, value) in entries {
            let entry = loc.push(Seg::Key(name.clone()));
            let mut field = loc.clone();
            field.path.push(Seg::Field(name.clone()));
            let valid_name =
                (3..=255).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
            if !valid_name {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field.clone(),
                    format!("`{name}` is not an index name DynamoDB accepts"),
                    "use 3 to 255 letters, digits, `_`, `.` and `-`",
                ));
                ok = false;
            }
            let index = match value {
                Value::Call { name: call, args } if call == "Global" => {
                    match args.iter().map(key_attr).collect::<Option<Vec<_>>>().as_deref() {
                        Some([p]) => Some(Index {
                            name: name.clone(),
                            local: false,
                            partition: Some(p.clone()),
                            sort: None,
                            loc: entry.clone(),
                        }),
                        Some([p, s]) => Some(Index {
                            name: name.clone(),
                            local: false,
                            partition: Some(p.clone()),
                            sort: Some(s.clone()),
                            loc: entry.clone(),
                        }),
                        _ => None,
                    }
                }
                Value::Call { name: call, args } if call == "Local" => {
                    match args.iter().map(key_attr).collect::<Option<Vec<_>>>().as_deref() {
                        Some([s]) => Some(Index {
                            name: name.clone(),
                            local: true,
                            partition: None,
                            sort: Some(s.clone()),
                            loc: entry.clone(),
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
            match index {
                Some(index) => indexes.push(index),
                None => {
                    d.push(Finding::dsl(
                        Dsl::WrongType,
                        entry,
                        format!("index `{name}` is not `Global(partition, sort)` or `Local(sort)`"),
                        "write `Global(\"status\")`, `Global(\"status\", N(\"received_at\"))` or `Local(N(\"amount\"))`; a key attribute is a string, or `N(..)`/`B(..)` for a number or binary",
                    ));
                    ok = false;
                }
            }
        }
        ok.then_some(Indexes(indexes))
    }
}
