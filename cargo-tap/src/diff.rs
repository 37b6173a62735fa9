//! What changes between two templates: resources added, removed and modified, which
//! modifications replace the resource (a changed create-only property, from the registry
//! schemas tap ships), which of those hold data, and two tables of what widens and what
//! narrows: IAM statements (role policies, resource policies, Lambda permissions) and
//! security-group rules. Pure: the deployed side is fetched by `deploy`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value as Json;
use tap_core::aws_data::registry;
use tap_core::cfn::DeletionPolicy;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Modified,
}

impl Change {
    fn mark(self) -> &'static str {
        match self {
            Change::Added => "[+]",
            Change::Removed => "[-]",
            Change::Modified => "[~]",
        }
    }
}

#[derive(Debug, PartialEq, Serialize)]
pub struct ResourceChange {
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub change: Change,
    /// Top-level properties that differ (for a modification).
    pub properties: Vec<String>,
    /// The create-only properties among them (or `Type` when the type changed): a
    /// modification with any replaces the resource.
    pub replaced_by: Vec<String>,
    /// The type holds data (a stateful type of the registry).
    pub holds_data: bool,
    /// What removing it (its `DeletionPolicy`) or replacing it (its `UpdateReplacePolicy`)
    /// does to the old one: the policy written, else CloudFormation's default for the type
    /// (`Snapshot` for an RDS database, `Delete` for the rest).
    pub deletion_policy: DeletionPolicy,
}

impl ResourceChange {
    pub fn replaces(&self) -> bool {
        !self.replaced_by.is_empty()
    }
    /// Data is destroyed: a resource that holds data is removed or replaced and its
    /// deletion policy deletes it.
    pub fn destroys_data(&self) -> bool {
        self.holds_data && (self.change == Change::Removed || self.replaces()) && !self.deletion_policy.keeps_data()
    }
}

/// One IAM permission: who may do what on what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct IamRow {
    pub resource: String,
    pub effect: String,
    pub action: String,
    pub on: String,
    pub principal: String,
}

/// One acknowledged finding, as the template's metadata records it.
pub type AckRow = tap_core::synth::Recorded;

/// One security-group rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SgRow {
    pub group: String,
    pub direction: String,
    pub protocol: String,
    pub ports: String,
    pub peer: String,
}

/// Whether a permission or a network rule is added or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Widens,
    Narrows,
}

/// A row of the IAM or security-group table, with its direction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Changed<T> {
    pub change: Direction,
    #[serde(flatten)]
    pub row: T,
}

impl<T: Clone + Ord> Changed<T> {
    /// What is in `new` only (widens), then what is in `old` only (narrows).
    fn between(old: &BTreeSet<T>, new: &BTreeSet<T>) -> Vec<Changed<T>> {
        let widens = new.difference(old).map(|r| Changed { change: Direction::Widens, row: r.clone() });
        widens.chain(old.difference(new).map(|r| Changed { change: Direction::Narrows, row: r.clone() })).collect()
    }
    fn mark(&self) -> String {
        if self.change == Direction::Widens { "+" } else { "-" }.to_owned()
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Diff {
    /// The old side has no resources: everything is created, nothing is widened or lost.
    pub creation: bool,
    #[serde(serialize_with = "with_replacement")]
    pub resources: Vec<ResourceChange>,
    pub iam: Vec<Changed<IamRow>>,
    pub security_groups: Vec<Changed<SgRow>>,
    /// Acknowledged findings: `widens` is an exception that arrives, `narrows` one that goes.
    pub acknowledgements: Vec<Changed<AckRow>>,
}

/// Each resource change as `--json` prints it: with `replacement`, which is derived from
/// `replaced_by` and so not stored.
fn with_replacement<S: serde::Serializer>(resources: &[ResourceChange], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Row<'a> {
        #[serde(flatten)]
        change: &'a ResourceChange,
        replacement: bool,
    }
    s.collect_seq(resources.iter().map(|change| Row { change, replacement: change.replaces() }))
}

/// `cargo tap diff --json`: the diff and what a deploy would ask about.
#[derive(Serialize)]
pub struct DiffReport<'a> {
    #[serde(flatten)]
    pub diff: &'a Diff,
    pub risks: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.iam.is_empty()
            && self.security_groups.is_empty()
            && self.acknowledgements.is_empty()
    }
    /// What a deploy must ask about before it runs: a resource that holds data replaced or
    /// deleted, or a permission or a network rule widened.
    pub fn risks(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.creation {
            // A new stack's permissions and rules are what it creates; nothing holds data yet.
            return out;
        }
        for r in &self.resources {
            if r.holds_data && r.change == Change::Removed {
                out.push(format!(
                    "{} ({}) holds data and is removed ({})",
                    r.logical_id, r.resource_type, r.deletion_policy
                ));
            } else if r.holds_data && r.replaces() {
                out.push(format!(
                    "{} ({}) holds data and is replaced: {} changed ({})",
                    r.logical_id,
                    r.resource_type,
                    r.replaced_by.join(", "),
                    r.deletion_policy
                ));
            }
        }
        let widened = self.iam.iter().filter(|c| c.change == Direction::Widens).count();
        if widened > 0 {
            out.push(format!("{widened} IAM permission(s) widened"));
        }
        let opened = self.security_groups.iter().filter(|c| c.change == Direction::Widens).count();
        if opened > 0 {
            out.push(format!("{opened} security-group rule(s) added"));
        }
        for a in self.acknowledgements.iter().filter(|c| c.change == Direction::Widens) {
            out.push(format!("{} acknowledges {} ({}): \"{}\"", a.row.resource, a.row.rule, a.row.at, a.row.reason));
        }
        out
    }

    pub fn report(&self) -> DiffReport<'_> {
        DiffReport { diff: self, risks: self.risks() }
    }

    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return "There were no differences.\n".to_owned();
        }
        let mut s = String::new();
        if !self.resources.is_empty() {
            s.push_str("Resources\n");
            for r in &self.resources {
                s.push_str(&format!("{} {} {}", r.change.mark(), r.resource_type, r.logical_id));
                if r.change == Change::Modified {
                    s.push_str(&format!(": {}", r.properties.join(", ")));
                }
                if r.replaces() {
                    s.push_str(&format!(
                        "  ⚠ REPLACED ({} {})",
                        r.replaced_by.join(", "),
                        if r.replaced_by.len() == 1 { "forces replacement" } else { "force replacement" }
                    ));
                }
                if r.destroys_data() {
                    s.push_str("  ⚠ its data is deleted");
                } else if r.holds_data && (r.change == Change::Removed || r.replaces()) {
                    s.push_str(&format!("  (holds data: {})", r.deletion_policy.word().to_lowercase()));
                }
                s.push('\n');
            }
        }
        if !self.iam.is_empty() {
            s.push_str(if self.creation {
                "\nIAM statements created (a new stack: nothing it had is widened)\n"
            } else {
                "\nIAM statement changes\n"
            });
            s.push_str(&table(
                &["", "resource", "effect", "action", "on", "principal"],
                self.iam.iter().map(|c| {
                    let r = &c.row;
                    vec![
                        c.mark(),
                        r.resource.clone(),
                        r.effect.clone(),
                        r.action.clone(),
                        r.on.clone(),
                        r.principal.clone(),
                    ]
                }),
            ));
        }
        if !self.security_groups.is_empty() {
            s.push_str("\nSecurity group changes\n");
            s.push_str(&table(
                &["", "group", "direction", "protocol", "ports", "peer"],
                self.security_groups.iter().map(|c| {
                    let r = &c.row;
                    vec![
                        c.mark(),
                        r.group.clone(),
                        r.direction.clone(),
                        r.protocol.clone(),
                        r.ports.clone(),
                        r.peer.clone(),
                    ]
                }),
            ));
        }
        if !self.acknowledgements.is_empty() {
            s.push_str("\nAcknowledged findings (exceptions written on a resource, with their reasons)\n");
            s.push_str(&table(
                &["", "resource", "rule", "at", "reason"],
                self.acknowledgements.iter().map(|c| {
                    let r = &c.row;
                    vec![c.mark(), r.resource.clone(), r.rule.clone(), r.at.clone(), r.reason.clone()]
                }),
            ));
        }
        let risks = self.risks();
        if !risks.is_empty() {
            s.push_str("\nNeeds a second look:\n");
            for r in risks {
                s.push_str(&format!("  ⚠ {r}\n"));
            }
        }
        s
    }
}

/// A table with aligned columns, drawn with box characters (comfy-table), as wide as its
/// content: a report piped to a file is not wrapped at a guessed terminal width.
pub fn table(head: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut t = comfy_table::Table::new();
    // Box lines, a rule under the header, none between rows.
    t.load_preset("││──├─┼┤│    ┬┴┌┐└┘")
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(head.iter().copied());
    for r in rows {
        t.add_row(r);
    }
    t.to_string() + "\n"
}

fn resources(t: &Json) -> BTreeMap<String, &Json> {
    t["Resources"].as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect()).unwrap_or_default()
}

pub fn diff(old: &Json, new: &Json) -> Diff {
    let (a, b) = (resources(old), resources(new));
    let mut out = Diff { creation: a.is_empty() && !b.is_empty(), ..Diff::default() };
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for id in ids {
        let (before, after) = (a.get(id), b.get(id));
        let ty = |r: &Json| r["Type"].as_str().unwrap_or_default().to_owned();
        let change = match (before, after) {
            (None, Some(n)) => ResourceChange {
                logical_id: id.clone(),
                resource_type: ty(n),
                change: Change::Added,
                properties: vec![],
                replaced_by: vec![],
                holds_data: stateful(&ty(n)),
                deletion_policy: DeletionPolicy::of(n),
            },
            (Some(o), None) => ResourceChange {
                logical_id: id.clone(),
                resource_type: ty(o),
                change: Change::Removed,
                properties: vec![],
                replaced_by: vec![],
                holds_data: stateful(&ty(o)),
                deletion_policy: DeletionPolicy::of(o),
            },
            (Some(o), Some(n)) if o != n => {
                let (po, pn) = (&o["Properties"], &n["Properties"]);
                let keys: BTreeSet<&String> = po
                    .as_object()
                    .into_iter()
                    .flatten()
                    .chain(pn.as_object().into_iter().flatten())
                    .map(|(k, _)| k)
                    .collect();
                let mut properties: Vec<String> =
                    keys.into_iter().filter(|k| po.get(k.as_str()) != pn.get(k.as_str())).cloned().collect();
                for attr in ["DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Condition", "Metadata"] {
                    if o.get(attr) != n.get(attr) {
                        properties.push(attr.to_owned());
                    }
                }
                let replaced_by = if ty(o) != ty(n) {
                    vec!["Type".to_owned()]
                } else {
                    // Create-only in the registry, and what CloudFormation replaces on though
                    // the registry does not say (a table's key schema).
                    let replacing: Vec<String> = registry::schema(&ty(n))
                        .map(|s| s.replacing().iter().map(|p| p.split('/').next().unwrap_or(p).to_owned()).collect())
                        .unwrap_or_default();
                    properties.iter().filter(|p| replacing.contains(p)).cloned().collect()
                };
                // The old resource's replacement policy decides what a replacement does to
                // its data.
                ResourceChange {
                    logical_id: id.clone(),
                    resource_type: ty(n),
                    change: Change::Modified,
                    properties,
                    replaced_by,
                    holds_data: stateful(&ty(n)),
                    deletion_policy: DeletionPolicy::on_replace(o),
                }
            }
            _ => continue,
        };
        out.resources.push(change);
    }
    out.iam = Changed::between(&iam_rows(old), &iam_rows(new));
    out.security_groups = Changed::between(&sg_rows(old), &sg_rows(new));
    out.acknowledgements = Changed::between(&ack_rows(old), &ack_rows(new));
    out
}

/// Every acknowledgement the template records.
pub fn ack_rows(t: &Json) -> BTreeSet<AckRow> {
    tap_core::synth::recorded(t).into_iter().collect()
}

fn stateful(ty: &str) -> bool {
    registry::schema(ty).is_some_and(|s| s.stateful)
}

/// An intrinsic written the way people read it: `Builder.Arn`, `${Suffix}`, joins inlined.
pub fn render(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Object(m) if m.len() == 1 => {
            let (k, x) = m.iter().next().expect("one entry");
            match (k.as_str(), x) {
                ("Ref", Json::String(r)) => format!("${{{r}}}"),
                ("Fn::GetAtt", Json::Array(p)) => p.iter().map(render).collect::<Vec<_>>().join("."),
                ("Fn::Sub", Json::String(s)) => s.clone(),
                ("Fn::Sub", Json::Array(p)) => p.first().map(render).unwrap_or_default(),
                ("Fn::Join", Json::Array(p)) if p.len() == 2 => {
                    let sep = p[0].as_str().unwrap_or_default();
                    p[1].as_array()
                        .map(|parts| parts.iter().map(render).collect::<Vec<_>>().join(sep))
                        .unwrap_or_default()
                }
                ("Fn::ImportValue", x) => format!("import({})", render(x)),
                _ => serde_json::to_string(v).unwrap_or_default(),
            }
        }
        Json::Array(items) => items.iter().map(render).collect::<Vec<_>>().join(", "),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn list(v: &Json) -> Vec<&Json> {
    match v {
        Json::Array(items) => items.iter().collect(),
        Json::Null => vec![],
        other => vec![other],
    }
}

fn principal(p: &Json) -> String {
    match p {
        Json::Object(m) => m.iter().map(|(k, v)| format!("{k}:{}", render(v))).collect::<Vec<_>>().join(", "),
        other => render(other),
    }
}

/// Every statement's rows: one per action and resource.
fn statements(out: &mut BTreeSet<IamRow>, lid: &str, doc: &Json, default_principal: &str, default_on: &str) {
    for st in list(&doc["Statement"]) {
        let effect = st["Effect"].as_str().unwrap_or("Allow").to_owned();
        let who =
            if st.get("Principal").is_some() { principal(&st["Principal"]) } else { default_principal.to_owned() };
        let mut on: Vec<String> = list(&st["Resource"]).into_iter().map(render).collect();
        if on.is_empty() {
            on.push(default_on.to_owned());
        }
        let cond = st
            .get("Condition")
            .map(|c| format!(" if {}", serde_json::to_string(c).unwrap_or_default()))
            .unwrap_or_default();
        for action in list(&st["Action"]) {
            for r in &on {
                out.insert(IamRow {
                    resource: lid.to_owned(),
                    effect: effect.clone(),
                    action: render(action),
                    on: format!("{r}{cond}"),
                    principal: who.clone(),
                });
            }
        }
    }
}

pub fn iam_rows(t: &Json) -> BTreeSet<IamRow> {
    let mut out = BTreeSet::new();
    for (lid, r) in resources(t) {
        let p = &r["Properties"];
        match r["Type"].as_str().unwrap_or_default() {
            "AWS::IAM::Role" => {
                let assumed: Vec<String> = list(&p["AssumeRolePolicyDocument"]["Statement"])
                    .into_iter()
                    .map(|s| principal(&s["Principal"]))
                    .collect();
                let who = format!("role assumed by {}", assumed.join(" | "));
                for policy in list(&p["Policies"]) {
                    statements(&mut out, &lid, &policy["PolicyDocument"], &who, "");
                }
                for arn in list(&p["ManagedPolicyArns"]) {
                    out.insert(IamRow {
                        resource: lid.clone(),
                        effect: "Allow".into(),
                        action: format!("managed policy {}", render(arn)),
                        on: "*".into(),
                        principal: who.clone(),
                    });
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                statements(&mut out, &lid, &p["PolicyDocument"], "attached roles", "")
            }
            "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
                statements(&mut out, &lid, &p["PolicyDocument"], "", "")
            }
            "AWS::Lambda::Permission" => {
                let source = p.get("SourceArn").map(|s| format!(" from {}", render(s))).unwrap_or_default();
                out.insert(IamRow {
                    resource: lid.clone(),
                    effect: "Allow".into(),
                    action: render(&p["Action"]),
                    on: render(&p["FunctionName"]),
                    principal: format!("{}{source}", render(&p["Principal"])),
                });
            }
            _ => {}
        }
    }
    out
}

fn ports(r: &Json) -> (String, String) {
    let proto = match render(&r["IpProtocol"]).as_str() {
        "-1" => "all".to_owned(),
        p => p.to_owned(),
    };
    let (from, to) = (render(&r["FromPort"]), render(&r["ToPort"]));
    let ports = if proto == "all" {
        "all".to_owned()
    } else if from == to {
        from
    } else {
        format!("{from}-{to}")
    };
    (proto, ports)
}

fn peer(r: &Json) -> String {
    [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
    ]
    .iter()
    .find_map(|k| r.get(*k).map(render))
    .unwrap_or_default()
}

pub fn sg_rows(t: &Json) -> BTreeSet<SgRow> {
    let mut out = BTreeSet::new();
    for (lid, r) in resources(t) {
        let p = &r["Properties"];
        let mut push = |group: String, direction: &str, rule: &Json| {
            let (protocol, ports) = ports(rule);
            out.insert(SgRow { group, direction: direction.to_owned(), protocol, ports, peer: peer(rule) });
        };
        match r["Type"].as_str().unwrap_or_default() {
            "AWS::EC2::SecurityGroup" => {
                for rule in list(&p["SecurityGroupIngress"]) {
                    push(lid.clone(), "ingress", rule);
                }
                match p.get("SecurityGroupEgress") {
                    Some(rules) => list(rules).into_iter().for_each(|rule| push(lid.clone(), "egress", rule)),
                    // CloudFormation's default for a group without egress rules.
                    None => push(
                        lid.clone(),
                        "egress",
                        &serde_json::json!({ "IpProtocol": "-1", "CidrIp": "0.0.0.0/0 (default)" }),
                    ),
                }
            }
            "AWS::EC2::SecurityGroupIngress" => push(render(&p["GroupId"]), "ingress", p),
            "AWS::EC2::SecurityGroupEgress" => push(render(&p["GroupId"]), "egress", p),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(resources: Json) -> Json {
        json!({ "Resources": resources })
    }

    /// A first deploy creates its permissions: they are listed, and are not a risk to ask about.
    #[test]
    fn a_new_stack_creates_its_permissions() {
        let new = template(json!({ "R": { "Type": "AWS::IAM::Role", "Properties": { "AssumeRolePolicyDocument": {},
            "Policies": [{ "PolicyName": "p", "PolicyDocument": { "Statement": [{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*" }] } }] } } }));
        let d = diff(&template(json!({})), &new);
        assert!(d.creation && !d.iam.is_empty());
        assert!(d.risks().is_empty(), "{:?}", d.risks());
        assert!(d.to_text().contains("IAM statements created"), "{}", d.to_text());
    }

    /// A table whose sort key changes is replaced (its data with it), though the registry
    /// schema does not list `KeySchema` as create-only.
    #[test]
    fn a_changed_key_schema_replaces_the_table() {
        let table = |sort: &str| {
            template(json!({ "T": { "Type": "AWS::DynamoDB::Table", "Properties": { "TableName": "orders-dev",
                "KeySchema": [{ "AttributeName": "customer_id", "KeyType": "HASH" }, { "AttributeName": sort, "KeyType": "RANGE" }] } } }))
        };
        let d = diff(&table("order_id"), &table("placed_at"));
        let t = &d.resources[0];
        assert_eq!((t.replaced_by.clone(), t.destroys_data()), (vec!["KeySchema".to_owned()], true));
    }

    #[test]
    fn a_changed_create_only_property_replaces_and_a_stateful_replacement_is_a_risk() {
        let old = template(json!({
            "Q": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "jobs-dev", "VisibilityTimeout": 30 } },
            "T": { "Type": "AWS::DynamoDB::Table", "Properties": { "TableName": "orders-dev", "BillingMode": "PAY_PER_REQUEST" } },
        }));
        let new = template(json!({
            "Q": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "jobs-dev", "VisibilityTimeout": 60 } },
            "T": { "Type": "AWS::DynamoDB::Table", "Properties": { "TableName": "orders2-dev", "BillingMode": "PAY_PER_REQUEST" } },
        }));
        let d = diff(&old, &new);
        let q = d.resources.iter().find(|r| r.logical_id == "Q").unwrap();
        assert_eq!(
            (q.change, q.properties.clone(), q.replaces()),
            (Change::Modified, vec!["VisibilityTimeout".to_owned()], false)
        );
        let t = d.resources.iter().find(|r| r.logical_id == "T").unwrap();
        assert_eq!(t.replaced_by, ["TableName"]);
        assert!(t.holds_data && t.destroys_data());
        assert_eq!(d.risks().len(), 1, "{:?}", d.risks());
        assert!(d.to_text().contains("⚠ REPLACED (TableName forces replacement)"));
        let j = serde_json::to_value(d.report()).unwrap();
        let row = |id: &str| j["resources"].as_array().unwrap().iter().find(|r| r["logical_id"] == id).unwrap().clone();
        assert_eq!((&row("T")["replacement"], &row("Q")["replacement"]), (&json!(true), &json!(false)));
    }

    #[test]
    fn iam_and_security_group_widenings_are_listed_as_such() {
        let role = |actions: Json| {
            json!({ "Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": { "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
                "Policies": [{ "PolicyName": "grants", "PolicyDocument": { "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": [{ "Fn::GetAtt": ["Q", "Arn"] }] }] } }],
            }})
        };
        let sg = |port: i64| json!({ "Type": "AWS::EC2::SecurityGroupIngress", "Properties": { "GroupId": { "Fn::GetAtt": ["Db", "GroupId"] }, "IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": "10.0.0.0/16" } });
        let old = template(json!({ "R": role(json!(["sqs:SendMessage"])), "I": sg(5432) }));
        let new =
            template(json!({ "R": role(json!(["sqs:SendMessage", "sqs:DeleteMessage"])), "I": sg(5432), "J": sg(22) }));
        let d = diff(&old, &new);
        assert_eq!(d.iam.len(), 1);
        let (added, row) = (d.iam[0].change, &d.iam[0].row);
        assert_eq!(added, Direction::Widens);
        assert_eq!(
            (row.action.as_str(), row.on.as_str(), row.principal.as_str()),
            ("sqs:DeleteMessage", "Q.Arn", "role assumed by Service:lambda.amazonaws.com")
        );
        assert_eq!(
            d.security_groups,
            vec![Changed {
                change: Direction::Widens,
                row: SgRow {
                    group: "Db.GroupId".into(),
                    direction: "ingress".into(),
                    protocol: "tcp".into(),
                    ports: "22".into(),
                    peer: "10.0.0.0/16".into()
                }
            }]
        );
        let reverse = diff(&new, &old);
        assert!(reverse.iam.iter().all(|c| c.change == Direction::Narrows));
        assert!(reverse.security_groups.iter().all(|c| c.change == Direction::Narrows));
        assert!(reverse.risks().is_empty());
        let j = serde_json::to_value(d.report()).unwrap();
        assert_eq!((&j["iam"][0]["change"], &j["iam"][0]["action"]), (&json!("widens"), &json!("sqs:DeleteMessage")));
        assert_eq!(j["risks"], json!(["1 IAM permission(s) widened", "1 security-group rule(s) added"]));
    }

    /// A template tap did not write: an RDS database with no `DeletionPolicy` is
    /// snapshotted by CloudFormation, so removing it keeps its data; a table is deleted.
    #[test]
    fn a_database_without_a_policy_is_snapshotted_not_deleted() {
        let old = template(json!({
            "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres" } },
            "Cluster": { "Type": "AWS::RDS::DBCluster", "Properties": { "Engine": "aurora-postgresql" } },
            "Member": { "Type": "AWS::RDS::DBInstance", "Properties": { "DBClusterIdentifier": { "Ref": "Cluster" } } },
            "T": { "Type": "AWS::DynamoDB::Table", "Properties": {} },
        }));
        let d = diff(&old, &template(json!({})));
        let policy = |id: &str| d.resources.iter().find(|r| r.logical_id == id).unwrap().deletion_policy;
        assert_eq!(
            [policy("Db"), policy("Cluster"), policy("Member"), policy("T")],
            [DeletionPolicy::Snapshot, DeletionPolicy::Snapshot, DeletionPolicy::Delete, DeletionPolicy::Delete]
        );
        let text = d.to_text();
        assert!(text.contains("AWS::RDS::DBInstance Db  (holds data: snapshot)"), "{text}");
        assert!(text.contains("AWS::DynamoDB::Table T  ⚠ its data is deleted"), "{text}");
    }

    /// An exception arriving is shown with its reason and asked about; one going is listed.
    #[test]
    fn an_added_acknowledgement_is_listed_and_asked_about() {
        let bucket = |meta: Json| json!({ "Page": { "Type": "AWS::S3::Bucket", "Metadata": meta, "Properties": {} } });
        let open = json!({ tap_core::synth::ACKNOWLEDGED: [{ "rule": "TAP-PUBLIC-001", "at": "public_read", "reason": "the status page is public" }] });
        let d = diff(&template(bucket(json!({}))), &template(bucket(open.clone())));
        assert_eq!(d.acknowledgements.len(), 1);
        assert_eq!(d.acknowledgements[0].change, Direction::Widens);
        assert_eq!(d.resources[0].properties, ["Metadata"]);
        let text = d.to_text();
        assert!(text.contains("Acknowledged findings"), "{text}");
        assert!(text.contains("TAP-PUBLIC-001") && text.contains("the status page is public"), "{text}");
        assert!(d.risks().iter().any(|r| r.contains("acknowledges TAP-PUBLIC-001")), "{:?}", d.risks());
        let back = diff(&template(bucket(open)), &template(bucket(json!({}))));
        assert_eq!(back.acknowledgements[0].change, Direction::Narrows);
        assert!(back.risks().is_empty(), "an exception going away narrows: {:?}", back.risks());
    }

    #[test]
    fn identical_templates_have_no_differences() {
        let t = template(json!({ "Q": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "q" } } }));
        assert!(diff(&t, &t).is_empty());
        assert_eq!(diff(&t, &t).to_text(), "There were no differences.\n");
    }
}
