use super::{Acknowledge, ANY, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::Bucket;
use crate::aws_data::deployed;
use crate::kinds::value::{at_or, on};
use crate::kinds::Res;
use crate::model::{Loc, Seg, Value};

pub static RULE: Rule = Rule {
    id: "TAP-PUBLIC-001",
    title: "No resource policy, permission or bucket setting lets anyone, or another account, in unconditionally",
    mistake: "a raw `AWS::S3::BucketPolicy` with `Principal: \"*\"`: the archive readable by anyone on the internet",
    seed: "",
    explanation: "tap writes the access a stack's own code needs as IAM grants on the function's \
        role; a resource policy is how a resource is opened to someone else. Written raw (a \
        bucket, queue, topic, key, secret, registry, domain, file system or event bus policy, a \
        Lambda or layer permission, any registry type whose property holds a policy document), \
        every `Allow` statement is read: a principal of `*` (or `{ AWS: \"*\" }`), a `NotPrincipal`, \
        or a literal account other than the stack's own (`${AWS::AccountId}`) admits whoever \
        that is. Only a condition that names who may use it (`aws:SourceArn`, \
        `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, ...; on a permission, \
        `SourceArn`, `SourceAccount`, `PrincipalOrgID` or `OrganizationId`) makes it a grant \
        to someone known. A policy written as a JSON string is read the same way. A `Bucket` \
        blocks public access (`block_public_access: true`); one that serves a public site or \
        status page says which objects anyone may read (`public_read: \"status/*\"`), and \
        acknowledges the opening with its reason, as any intended opening here is: \
        `#[tap::expect(\"TAP-PUBLIC-001\", reason = \"..\")]` on the resource.",
    fix: "Name the principal (a role of the stack, `${AWS::AccountId}`, a service) or add a condition that restricts it, e.g. `Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" } }`.",
    lifecycle: None,
    acknowledge: Acknowledge::On(ANY, "a public status page, or a queue another account of the organisation sends to, is open on purpose"),
    // A bucket with `public_read` lets its policy open reads: checkov's two public-policy
    // checks see the same opening.
    checkov: &[("public_read", &["CKV_AWS_54", "CKV_AWS_56"])],
    check,
};

/// Condition keys that say who may use an open statement.
const RESTRICTING: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:userid",
    "kms:calleraccount",
    "kms:viaservice",
];

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = buckets(cx);
    for node in &cx.stack.nodes {
        let Res::Raw(raw) = &node.res else { continue };
        let mut report = |loc: Loc, who: String, fix: &str| {
            out.push(Finding::new(RULE.id, loc, format!("{} lets {who} in", node.label), fix.to_owned()))
        };
        for key in deployed::policy_properties(raw.schema) {
            let Some(v) = raw.prop(key) else { continue };
            // A policy written as JSON text is read as the document it is.
            let doc = match &v.value {
                Value::Str(s) => match serde_json::from_str::<serde_json::Value>(s) {
                    Ok(j) => from_json(&j),
                    Err(_) => continue,
                },
                other => other.clone(),
            };
            let precise = !matches!(v.value, Value::Str(_));
            for (loc, who) in open_statements(&doc, &v.loc) {
                report(if precise { loc } else { v.loc.clone() }, who, RULE.fix);
            }
        }
        if let Some((_, restricting)) = deployed::PERMISSIONS.iter().find(|(t, _)| *t == raw.schema.ty) {
            let restricted = raw.props.iter().any(|(k, _)| restricting.contains(&k.as_str()));
            let principal = raw.prop("Principal");
            if let Some((principal, who)) =
                principal.and_then(|p| open_principal(&p.value).map(|who| (p, who))).filter(|_| !restricted)
            {
                let fix = match restricting {
                    [] => "name the principal: a service, a role of the stack, or `${AWS::AccountId}`".to_owned(),
                    keys => format!(
                        "name the principal, or restrict it with {}",
                        keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ")
                    ),
                };
                report(principal.loc.clone(), who, &fix);
            }
            // An event bus policy may carry a whole statement.
            if let Some(statement) = raw.prop("Statement") {
                for (loc, who) in judge_statement(&statement.value, &statement.loc) {
                    report(loc, who, RULE.fix);
                }
            }
        }
    }
    out
}

/// A bucket that does not block public access, or that opens objects to anyone.
fn buckets(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, b) in cx.stack.of::<Bucket>() {
        let label = &cx.stack.node(i).label;
        if let Some(keys) = &b.public_read {
            out.push(Finding::new(
                RULE.id,
                keys.loc.clone(),
                format!("{label} lets anyone on the internet read `{}`", keys.as_str()),
                "remove `public_read`, or acknowledge it on the bucket: `#[tap::expect(\"TAP-PUBLIC-001\", reason = \"..\")]`",
            ));
        } else if !on(&b.block_public_access) {
            out.push(Finding::new(
                RULE.id,
                at_or(&b.block_public_access, i),
                format!("{label} does not block public access"),
                "write `block_public_access: true` (a bucket meant to be read by anyone says what with `public_read`)",
            ));
        }
    }
    out
}

/// Every `Allow` statement of a policy document that admits anyone, with where its
/// principal is written and whom it admits.
fn open_statements(doc: &Value, at: &Loc) -> Vec<(Loc, String)> {
    let Some(statements) = field(doc, "Statement") else { return Vec::new() };
    let at = at.push(Seg::Key("Statement".to_owned()));
    match statements {
        Value::List(items) => {
            items.iter().enumerate().flat_map(|(n, s)| judge_statement(s, &at.push(Seg::Index(n)))).collect()
        }
        one => judge_statement(one, &at),
    }
}

fn judge_statement(s: &Value, at: &Loc) -> Vec<(Loc, String)> {
    if field(s, "Effect").and_then(Value::as_str) == Some("Deny") {
        return Vec::new();
    }
    if restricted(field(s, "Condition")) {
        return Vec::new();
    }
    if field(s, "NotPrincipal").is_some() {
        return vec![(at.push(Seg::Key("NotPrincipal".to_owned())), "everyone but the principals it names".to_owned())];
    }
    match field(s, "Principal").and_then(open_principal) {
        Some(who) => vec![(at.push(Seg::Key("Principal".to_owned())), who)],
        None => Vec::new(),
    }
}

/// Whom a principal admits, when it is anyone or another account.
fn open_principal(p: &Value) -> Option<String> {
    match p {
        Value::Str(s) => open_name(s),
        Value::List(items) => items.iter().find_map(open_principal),
        Value::Map(entries) => {
            entries.iter().filter(|(k, _)| k == "AWS" || k == "CanonicalUser").find_map(|(_, v)| open_principal(v))
        }
        // A reference (a role of the stack) or anything the deployment resolves: someone known.
        _ => None,
    }
}

fn open_name(s: &str) -> Option<String> {
    if s == "*" {
        return Some("anyone (`*`)".to_owned());
    }
    // A literal account: 12 digits alone, or in an ARN; the stack's own is `${AWS::AccountId}`.
    let account = if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Some(s)
    } else {
        s.strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.get(..12))
            .filter(|a| a.bytes().all(|b| b.is_ascii_digit()))
    };
    account.map(|a| format!("another account ({a})"))
}

fn restricted(condition: Option<&Value>) -> bool {
    let Some(Value::Map(operators)) = condition else { return false };
    operators.iter().any(|(_, keys)| match keys {
        Value::Map(keys) => keys.iter().any(|(k, _)| RESTRICTING.contains(&k.to_ascii_lowercase().as_str())),
        _ => false,
    })
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A JSON document as the values the DSL writes (for a policy given as a string).
fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| Value::Str(n.to_string()), Value::Int),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
        serde_json::Value::Null => Value::Str(String::new()),
    }
}
