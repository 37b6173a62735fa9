//! CloudFormation vocabulary: JSON expression helpers, the template's fixed parameters and
//! the builder a kind's synthesis writes into. It knows nothing of stacks or kinds, so any
//! layer can use it.

use serde_json::{json, Map};

pub type Json = serde_json::Value;

/// The parameter every physical name is built from.
pub const SUFFIX_PARAM: &str = "EnvironmentSuffix";
/// The longest suffix the parameter allows; name limits are checked against it.
pub const SUFFIX_MAX: usize = 12;
/// Days of automated backups (and snapshots) a durable deployment keeps of its data, at least.
pub const DURABLE_BACKUP_DAYS: i64 = 7;
pub const SUFFIX_PATTERN: &str = "^[a-z0-9]{1,12}$";
/// The bucket the packaged Lambda assets are uploaded to.
pub const ASSET_BUCKET_PARAM: &str = "AssetBucket";

/// `"inventory-{suffix}"` as a name CloudFormation fills in per environment.
pub fn sub(name: &str) -> Json {
    let parsed = crate::model::Interpolated::parse(name);
    if parsed.has_suffix() {
        json!({ "Fn::Sub": parsed.with_suffix(&format!("${{{SUFFIX_PARAM}}}")) })
    } else {
        Json::String(name.to_owned())
    }
}
pub fn r#ref(lid: &str) -> Json {
    json!({ "Ref": lid })
}
pub fn get_att(lid: &str, attr: &str) -> Json {
    json!({ "Fn::GetAtt": [lid, attr] })
}
/// `arn` followed by a literal path, such as a bucket's objects (`/*`).
pub fn join(arn: Json, tail: &str) -> Json {
    // An ARN that is itself a join (an existing resource's, derived) takes the tail as
    // one more part.
    if let Some(Json::Array(parts)) = arn.get("Fn::Join").filter(|j| j[0] == "").map(|j| &j[1]) {
        let mut parts = parts.clone();
        parts.push(json!(tail));
        return json!({ "Fn::Join": ["", parts] });
    }
    json!({ "Fn::Join": ["", [arn, tail]] })
}
pub fn name_tag(name: &str) -> Json {
    json!([{ "Key": "Name", "Value": sub(name) }])
}

/// `inventory_stream` -> `InventoryStream`: logical ids and statement ids.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// A resource's `DeletionPolicy` (and `UpdateReplacePolicy`): what CloudFormation does
/// to it when its stack is deleted, or it is removed from the template or replaced. The one
/// type for the concept: tap writes it, the delete plan and `cargo tap diff` read it.
/// Serialised as CloudFormation writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DeletionPolicy {
    Delete,
    Retain,
    /// Retained, except when the stack's creation fails (then deleted).
    RetainExceptOnCreate,
    /// Deleted after a final snapshot, which is kept.
    Snapshot,
}

impl DeletionPolicy {
    pub const ALL: [DeletionPolicy; 4] = [Self::Delete, Self::Retain, Self::RetainExceptOnCreate, Self::Snapshot];

    /// CloudFormation's word for it.
    pub fn word(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::Retain => "Retain",
            DeletionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            DeletionPolicy::Snapshot => "Snapshot",
        }
    }

    pub fn from_word(word: &str) -> Option<DeletionPolicy> {
        DeletionPolicy::ALL.into_iter().find(|p| p.word() == word)
    }

    /// CloudFormation's own default for a resource that writes none: `Snapshot` for an
    /// `AWS::RDS::DBCluster` and for an `AWS::RDS::DBInstance` that is not a cluster's member
    /// (no `DBClusterIdentifier`); `Delete` for everything else.
    pub fn default_for(resource_type: &str, properties: &Json) -> DeletionPolicy {
        match resource_type {
            "AWS::RDS::DBCluster" => DeletionPolicy::Snapshot,
            "AWS::RDS::DBInstance" if properties.get("DBClusterIdentifier").is_none() => DeletionPolicy::Snapshot,
            _ => DeletionPolicy::Delete,
        }
    }

    /// What CloudFormation applies to a template resource: the policy it writes, or the
    /// type's default. A value that is no policy (an intrinsic, a typo) reads as the
    /// default, as CloudFormation would refuse the template anyway.
    pub fn of(resource: &Json) -> DeletionPolicy {
        Self::written(resource, "DeletionPolicy")
    }

    /// The same for `UpdateReplacePolicy`: what a replacement does to the old resource.
    pub fn on_replace(resource: &Json) -> DeletionPolicy {
        Self::written(resource, "UpdateReplacePolicy")
    }

    fn written(resource: &Json, attribute: &str) -> DeletionPolicy {
        resource[attribute].as_str().and_then(DeletionPolicy::from_word).unwrap_or_else(|| {
            DeletionPolicy::default_for(resource["Type"].as_str().unwrap_or_default(), &resource["Properties"])
        })
    }

    /// What deleting a stack that created the resource does: `RetainExceptOnCreate` is
    /// `Retain` there.
    pub fn on_stack_delete(self) -> DeletionPolicy {
        match self {
            DeletionPolicy::RetainExceptOnCreate => DeletionPolicy::Retain,
            other => other,
        }
    }

    /// Whether the resource (and its data) outlives the delete, itself or as a snapshot.
    pub fn keeps_data(self) -> bool {
        self != DeletionPolicy::Delete
    }
}

impl std::fmt::Display for DeletionPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// The sections of a template under construction, in insertion order.
#[derive(Default)]
pub struct Out {
    pub parameters: Map<String, Json>,
    pub resources: Map<String, Json>,
    pub outputs: Map<String, Json>,
}

impl Out {
    pub fn add(&mut self, lid: impl Into<String>, ty: &str, props: Json) {
        self.resources.insert(lid.into(), json!({ "Type": ty, "Properties": props }));
    }
    /// A resource with deletion and replacement policies.
    pub fn add_with_policy(&mut self, lid: impl Into<String>, ty: &str, props: Json, policy: DeletionPolicy) {
        let p = policy.word();
        self.resources.insert(
            lid.into(),
            json!({ "Type": ty, "DeletionPolicy": p, "UpdateReplacePolicy": p, "Properties": props }),
        );
    }
    pub fn depends_on(&mut self, lid: &str, on: &[&str]) {
        if let Some(Json::Object(res)) = self.resources.get_mut(lid) {
            let deps = on.iter().map(|d| Json::String((*d).to_owned())).collect();
            res.insert("DependsOn".into(), Json::Array(deps));
        }
    }
    /// Declares a parameter once (the first declaration wins).
    pub fn parameter(&mut self, name: &str, body: Json) {
        self.parameters.entry(name.to_owned()).or_insert(body);
    }
    pub fn output(&mut self, lid: impl Into<String>, body: Json) {
        self.outputs.insert(lid.into(), body);
    }
}
