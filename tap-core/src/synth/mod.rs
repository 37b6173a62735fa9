//! CloudFormation synthesis: a checked [`Stack`] becomes a template, deterministically
//! (logical ids from declared names, keys in insertion order, no clocks, no randomness).

use serde_json::{json, Map};

use crate::ids::logical_ids;
use crate::model::{Resource, Stack, Value};

pub type Json = serde_json::Value;

/// The parameter every physical name is built from.
pub const SUFFIX_PARAM: &str = "EnvironmentSuffix";
/// The longest suffix the parameter allows; name limits are checked against it.
pub const SUFFIX_MAX: usize = 12;
pub const SUFFIX_PATTERN: &str = "^[a-z0-9]{1,12}$";
/// The bucket the packaged Lambda assets are uploaded to.
pub const ASSET_BUCKET_PARAM: &str = "AssetBucket";

/// What synthesis writes into, plus lookups for the kinds.
pub struct Cx<'a> {
    pub stack: &'a Stack,
    pub lids: Vec<String>,
    pub parameters: Map<String, Json>,
    pub resources: Map<String, Json>,
    pub outputs: Map<String, Json>,
}

impl<'a> Cx<'a> {
    pub fn lid(&self, index: usize) -> &str {
        &self.lids[index]
    }
    /// Index and resource of what property `key` refers to. Only called after validation,
    /// which guarantees the reference resolves.
    pub fn target(&self, r: &Resource, key: &str) -> (usize, &'a Resource) {
        let name = r.target(key).expect("validated reference");
        self.lookup(name)
    }
    pub fn lookup(&self, binding: &str) -> (usize, &'a Resource) {
        let i = self.stack.find(binding).expect("validated reference");
        (i, &self.stack.resources[i])
    }
    pub fn target_lid(&self, r: &Resource, key: &str) -> String {
        self.lid(self.target(r, key).0).to_owned()
    }
    /// The CloudFormation expression for a value: a reference's attribute, or a literal.
    pub fn value(&self, v: &Value) -> Json {
        match v {
            Value::Str(s) => Json::String(s.clone()),
            Value::Int(i) => json!(i),
            Value::Bool(b) => json!(b),
            Value::Word(w) => Json::String(w.clone()),
            Value::Ref { target, attr } => {
                let (i, res) = self.lookup(target);
                res.kind.attr(self, self.lid(i), res, attr.as_deref().unwrap_or("id"))
            }
            Value::List(items) => Json::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), self.value(v))).collect()),
            Value::Call { name, .. } => Json::String(name.clone()),
        }
    }
    pub fn add(&mut self, lid: impl Into<String>, ty: &str, props: Json) {
        self.resources.insert(lid.into(), json!({ "Type": ty, "Properties": props }));
    }
    /// A resource that holds data: its deletion and replacement policies come from `removal`.
    pub fn add_stateful(&mut self, lid: impl Into<String>, ty: &str, props: Json, r: &Resource) {
        self.add_with_removal(lid, ty, props, r.word("removal"));
    }
    /// A resource with deletion and replacement policies for `removal` (Destroy if `None`).
    pub fn add_with_removal(&mut self, lid: impl Into<String>, ty: &str, props: Json, removal: Option<&str>) {
        let policy = match removal.unwrap_or("Destroy") {
            "Retain" => "Retain",
            "Snapshot" => "Snapshot",
            _ => "Delete",
        };
        self.resources.insert(
            lid.into(),
            json!({ "Type": ty, "DeletionPolicy": policy, "UpdateReplacePolicy": policy, "Properties": props }),
        );
    }
    pub fn depends_on(&mut self, lid: &str, on: &[&str]) {
        if let Some(Json::Object(res)) = self.resources.get_mut(lid) {
            let deps = on.iter().map(|d| Json::String((*d).to_owned())).collect();
            res.insert("DependsOn".into(), Json::Array(deps));
        }
    }
    pub fn parameter(&mut self, name: &str, body: Json) {
        self.parameters.entry(name.to_owned()).or_insert(body);
    }
}

/// `"inventory-{suffix}"` as a name CloudFormation fills in per environment.
pub fn sub(name: &str) -> Json {
    if name.contains("{suffix}") {
        json!({ "Fn::Sub": name.replace("{suffix}", &format!("${{{SUFFIX_PARAM}}}")) })
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
pub fn name_tag(name: &str) -> Json {
    json!([{ "Key": "Name", "Value": sub(name) }])
}

/// Writes the template of a stack that has passed [`crate::check`].
pub fn template(stack: &Stack) -> Json {
    let mut cx = Cx {
        stack,
        lids: logical_ids(stack),
        parameters: Map::new(),
        resources: Map::new(),
        outputs: Map::new(),
    };
    cx.parameter(
        SUFFIX_PARAM,
        json!({
            "Type": "String",
            "Description": "Environment suffix carried by every physical name (dev, pr123, ...)",
            "AllowedPattern": SUFFIX_PATTERN,
            "ConstraintDescription": "1 to 12 lowercase letters or digits",
        }),
    );
    for (i, r) in stack.resources.iter().enumerate() {
        r.kind.synth(&mut cx, i, r);
    }
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    t.insert("Description".into(), json!(format!("{} (synthesised by tap)", stack.name)));
    t.insert("Parameters".into(), Json::Object(cx.parameters));
    t.insert("Resources".into(), Json::Object(cx.resources));
    if !cx.outputs.is_empty() {
        t.insert("Outputs".into(), Json::Object(cx.outputs));
    }
    Json::Object(t)
}

/// The subnets of a VPC of one tier, as `Ref`s.
pub fn subnets(vpc_lid: &str, vpc: &Resource, tier: &str) -> Json {
    let n = vpc.int("max_azs").unwrap_or(2);
    Json::Array((1..=n).map(|az| r#ref(&format!("{vpc_lid}{tier}Subnet{az}"))).collect())
}

/// The private route tables of a VPC (one per AZ), as `Ref`s.
pub fn private_route_tables(vpc_lid: &str, vpc: &Resource) -> Json {
    let n = vpc.int("max_azs").unwrap_or(2);
    Json::Array((1..=n).map(|az| r#ref(&format!("{vpc_lid}PrivateRouteTable{az}"))).collect())
}
