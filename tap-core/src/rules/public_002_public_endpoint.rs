use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::deployed::{Role, State};
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-PUBLIC-002",
    title: "No endpoint is reachable from the internet without authentication",
    mistake: "a raw database cluster with `PubliclyAccessible: true`, or a function URL with `AuthType: NONE`",
    seed: "",
    explanation: "tap's kinds sit in private subnets and are reached with IAM; written raw, a \
        type's `PubliclyAccessible` (`IsPubliclyAccessible`) gives it an address on the \
        internet, and a function URL (or the permission for one) with `AuthType: NONE` lets \
        anyone who finds the URL invoke the function. Both are an opening a reviewer must \
        see argued, not a default to slip through.",
    fix: "Leave `PubliclyAccessible` out (or `false`); give a function URL `AuthType: AWS_IAM`.",
    lifecycle: None,
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = cx
        .raw_settings(Role::Public)
        .into_iter()
        .filter(|r| r.reading.state == State::On)
        .map(|r| {
            Finding::new(
                RULE.id,
                r.reading.loc.clone(),
                format!("{} is reachable from the internet (`{}`)", r.node.label, r.setting.path),
                format!("write `{}` or leave it out", r.write(false, 0)),
            )
        })
        .collect();
    for node in &cx.stack.nodes {
        let Res::Raw(raw) = &node.res else { continue };
        let key = match raw.schema.ty {
            "AWS::Lambda::Url" => "AuthType",
            "AWS::Lambda::Permission" => "FunctionUrlAuthType",
            _ => continue,
        };
        if let Some(v) = raw.prop(key).filter(|v| v.value.as_str() == Some("NONE")) {
            out.push(Finding::new(
                RULE.id,
                v.loc.clone(),
                format!("{} lets anyone invoke the function without signing in (`{key}: \"NONE\"`)", node.label),
                format!("write `{key}: \"AWS_IAM\"`"),
            ));
        }
    }
    out
}
