//! Emit: the last stage. What a kind's synthesis writes into ([`SynthCx`]: the checked
//! view, the lifecycle, the template being built) and the statement writers kinds share
//! (TLS-only policies, role policies, trust policies). Only synthesis reaches it.

use super::schema::{ArnShape, AttrDef, AttrExpr, AttrTy, LevelDef, Lifecycle, Removal};
use super::value::*;
use super::view::Checked;
use crate::cfn::{get_att, join, pascal, r#ref, Json, Out};
use serde_json::json;

/// What a kind's synthesis writes into, with lookups of the resources it refers to.
pub struct SynthCx<'a> {
    pub stack: &'a Checked,
    /// The lifecycle this template is for.
    pub lifecycle: Lifecycle,
    pub out: Out,
}

impl<'a> SynthCx<'a> {
    pub fn lid(&self, index: usize) -> &'a str {
        self.stack.lid(index)
    }
    pub fn lid_of<K>(&self, r: &Ref<K>) -> String {
        self.stack.lid(r.index).to_owned()
    }
    /// The CloudFormation expression of `target.attr`.
    pub fn attr_of(&self, target: usize, attr: &AttrDef) -> Json {
        let lid = self.lid(target);
        let hooks = self.stack.node(target).res.hooks();
        if hooks.stands_for().is_some() {
            return hooks.own_attr(self, attr, lid);
        }
        match attr.expr {
            AttrExpr::Ref => r#ref(lid),
            AttrExpr::GetAtt(name) => get_att(lid, name),
            AttrExpr::Own => self.stack.node(target).res.hooks().own_attr(self, attr, lid),
        }
    }
    pub fn attr(&self, a: &AttrRef) -> Json {
        self.attr_of(a.target, a.attr)
    }
    /// One IAM statement for a grant: the access level's actions on the target's ARNs, or
    /// a `Raw` grant's actions on the resources it names.
    pub fn statement(&self, grant: &Grant) -> Json {
        match grant {
            Grant::Level { target, name, level } => json!({
                "Sid": pascal(&format!("{name} {}", level.name)),
                "Effect": "Allow",
                "Action": level.actions,
                "Resource": self.level_arns(*target, level),
            }),
            Grant::Raw { actions, resources } => {
                let resources: Vec<Json> = resources
                    .iter()
                    .map(|r| match &r.value {
                        RawResource::Attr(a) => self.attr(a),
                        RawResource::Under(a, path) => join(self.attr(a), path),
                        RawResource::Literal(s) => json!(s),
                    })
                    .collect();
                json!({ "Effect": "Allow", "Action": actions.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), "Resource": resources })
            }
        }
    }
    /// One statement per grant: a role's inline policy `grants` (see [`role_policies`]).
    pub fn grant_statements(&self, grants: &[At<Grant>]) -> Vec<Json> {
        grants.iter().map(|g| self.statement(g)).collect()
    }
    /// Makes resource `lid`, which holds `grants`, depend on the emptiers of the resources
    /// they name (see [`Hooks::emptied_by`]), so a delete removes it before emptying them.
    pub fn after_emptiers(&mut self, lid: &str, grants: &[At<Grant>]) {
        let mut emptiers: Vec<String> = Vec::new();
        for grant in grants {
            let targets: Vec<usize> = match &grant.value {
                Grant::Level { target, .. } => vec![*target],
                Grant::Raw { resources, .. } => resources.iter().filter_map(|r| r.target().map(|a| a.target)).collect(),
            };
            for t in targets {
                if let Some(e) = self.stack.node(t).res.hooks().emptied_by(self, t) {
                    if !emptiers.contains(&e) {
                        emptiers.push(e);
                    }
                }
            }
        }
        let on: Vec<&str> = emptiers.iter().map(String::as_str).collect();
        if !on.is_empty() {
            self.out.depends_on(lid, &on);
        }
    }
    /// What `Ref` of resource `target` means in its kind: the logical id's `Ref`, or for an
    /// existing resource the attribute its kind's `Ref` stands for (a topic's ARN).
    pub fn ref_of(&self, target: usize) -> Json {
        let node = self.stack.node(target);
        match node.target_spec().attrs.iter().find(|a| a.expr == AttrExpr::Ref) {
            Some(attr) if node.res.hooks().stands_for().is_some() => self.attr_of(target, attr),
            _ => r#ref(self.lid(target)),
        }
    }
    /// The CloudFormation expression of the attribute `name` of resource `target`.
    pub fn attr_named(&self, target: usize, name: &str) -> Json {
        let attr = self.stack.node(target).target_spec().attr(name).expect("an attribute of the target's kind");
        self.attr_of(target, attr)
    }
    /// The ARNs an IAM statement for `level` of resource `target` names.
    pub fn level_arns(&self, target: usize, level: &LevelDef) -> Json {
        let spec = self.stack.node(target).target_spec();
        let def = AttrDef {
            name: "arn",
            ty: AttrTy::Text,
            expr: spec.arn.unwrap_or(AttrExpr::GetAtt("Arn")),
            level: None,
            service: None,
        };
        let arn = self.attr_of(target, &def);
        match level.arns {
            ArnShape::Arn => Json::Array(vec![arn]),
            ArnShape::Under(tail) => Json::Array(vec![join(arn, tail)]),
            ArnShape::ArnAndUnder(tail) => Json::Array(vec![arn.clone(), join(arn, tail)]),
        }
    }
    /// This template keeps resource `i`'s data: the lifecycle is durable and the resource
    /// holds data and is not `disposable`. Kinds derive their lifecycle-dependent settings
    /// (deletion protection, backups, versioning, emptying) from this, unless written.
    pub fn keeps(&self, i: usize) -> bool {
        self.lifecycle == Lifecycle::Durable && self.stack.kept_when_durable(i)
    }
    /// Resource `i`, which holds data: its deletion and replacement policies are the
    /// `removal` written, else what the lifecycle implies (the kind's `keep` when kept,
    /// Delete otherwise).
    pub fn add_data(&mut self, i: usize, lid: &str, ty: &str, props: Json) {
        let node = self.stack.node(i);
        let policy = match node.res.removal() {
            Some(written) => written.policy(),
            None if self.keeps(i) => node.spec().keep.unwrap_or(Removal::Retain.policy()),
            None => Removal::Destroy.policy(),
        };
        self.out.add_with_policy(lid, ty, props, policy);
    }
}

/// The policy statement that refuses every request to `resource` not made over TLS
/// (`action` is the service's actions: `s3:*`, `sqs:*`, `sns:Publish`), shared by the
/// bucket, log bucket, queue and topic policies.
pub fn deny_insecure_transport(action: &str, resource: Json) -> Json {
    json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": { "AWS": "*" },
        "Action": action,
        "Resource": resource,
        "Condition": { "Bool": { "aws:SecureTransport": "false" } },
    })
}

/// A role's `Policies`: one inline policy per `(name, statements)`, in order, leaving out
/// those without statements (`None` when none is left).
pub fn role_policies(policies: Vec<(&str, Vec<Json>)>) -> Option<Json> {
    let out: Vec<Json> = policies
        .into_iter()
        .filter(|(_, statements)| !statements.is_empty())
        .map(|(name, statements)| json!({ "PolicyName": name, "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }))
        .collect();
    (!out.is_empty()).then_some(Json::Array(out))
}

/// The trust policy of a role that AWS service `principal` assumes; with `this_account`,
/// only on behalf of this account's resources (`aws:SourceAccount`, the confused-deputy
/// guard).
pub fn service_trust(principal: &str, this_account: bool) -> Json {
    let mut statement = json!({ "Effect": "Allow", "Principal": { "Service": principal }, "Action": "sts:AssumeRole" });
    if this_account {
        statement["Condition"] = json!({ "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } });
    }
    json!({ "Version": "2012-10-17", "Statement": [statement] })
}

/// The name of a log group the stack owns for something tap adds (a tap-written function,
/// flow logs): `/tap/<stack>/<name>-<suffix>`, unique per stack and environment, and known
/// before the resource that writes to it exists.
pub fn stack_log_group_name(stack: &str, name: &str) -> Json {
    json!({ "Fn::Sub": format!("/tap/{stack}/{name}-${{EnvironmentSuffix}}") })
}
