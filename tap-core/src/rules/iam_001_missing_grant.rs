use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::view::{FromIndex, Grant, RawResource};
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-IAM-001",
    title: "Every use of a resource by a function is granted",
    mistake: "seed mistake 9: missing IAM permissions (Kinesis read, Secrets Manager, VPC access)",
    seed: "archive_bucket.grant_write(lambda_role)  # and nothing else",
    explanation: "The seed's role could write to the bucket and nothing else: reading the stream, \
        fetching the secret and sending failures all failed at run time with AccessDenied. In tap a \
        function's uses are visible (its environment, the stream feeding it, its failure queue) and \
        each needs a grant of the access it implies. VPC access is not a grant: a function placed \
        in a VPC always gets the VPC execution policy.",
    fix: "Add the grant the message names to the function's `grants`.",
    lifecycle: None,
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in &cx.uses {
        let Some(function) = Function::from_index(cx.stack, u.function) else { continue };
        // A raw resource has no levels: the function names it in a `Raw` grant.
        if let Res::Raw(raw) = &cx.stack.node(u.target).res {
            let named = function.grants().iter().any(|g| match &g.value {
                Grant::Raw { resources, .. } => resources.iter().any(|r| matches!(&r.value, RawResource::Attr(a) if a.target == u.target)),
                Grant::Level { .. } => false,
            });
            if !named {
                let f = cx.stack.node(u.function).binding.as_deref().unwrap_or("function");
                let target = cx.stack.binding(u.target);
                out.push(Finding::new(
                    RULE.id,
                    u.loc.clone(),
                    format!("{} but `{f}` has no grant for it", u.describe(cx.stack)),
                    format!("add `Raw([\"<service>:<Action>\", ..], [{target}.{}])` to the grants of `{f}`", raw.schema.read_only.iter().find(|a| a.ends_with("Arn")).map_or("Arn", String::as_str)),
                ));
            }
            continue;
        }
        if u.levels.is_empty() {
            continue;
        }
        let granted = function.grants().iter().any(|g| matches!(&g.value, Grant::Level { target, level, .. } if *target == u.target && u.satisfied_by(level)));
        if !granted {
            let f = cx.stack.node(u.function).binding.as_deref().unwrap_or("function");
            let target = cx.stack.binding(u.target);
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{} but `{f}` has no grant for it", u.describe(cx.stack)),
                format!("add `{}` to the grants of `{f}`", u.levels.iter().map(|l| format!("{target}.{}", l.name)).collect::<Vec<_>>().join("` or `")),
            ));
        }
    }
    out
}
