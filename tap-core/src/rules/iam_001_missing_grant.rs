use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::value::Grant;
use crate::kinds::view::FromIndex;
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
    acknowledge: Acknowledge::Never("the call fails with AccessDenied at run time"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in &cx.uses {
        let Some(function) = Function::from_index(cx.stack, u.function) else { continue };
        if !cx.judged(u.function, "grants") {
            continue;
        }
        let target = cx.stack.binding(u.target);
        // Whether a grant covers the use, and the grant to suggest when none does.
        let (granted, grant) = match &cx.stack.node(u.target).res {
            // A raw resource has no levels: the function names it in a `Raw` grant.
            Res::Raw(raw) => (
                function.grants().iter().any(|g| match &g.value {
                    Grant::Raw { resources, .. } => resources.iter().any(|r| r.target().is_some_and(|a| a.target == u.target)),
                    Grant::Level { .. } => false,
                }),
                format!("Raw([\"<service>:<Action>\", ..], [{target}.{}])", raw.schema.read_only.iter().find(|a| a.ends_with("Arn")).map_or("Arn", String::as_str)),
            ),
            _ if u.levels.is_empty() => continue,
            _ => (
                function.grants().iter().any(|g| matches!(&g.value, Grant::Level { target, level, .. } if *target == u.target && u.satisfied_by(level))),
                u.levels.iter().map(|l| format!("{target}.{}", l.name)).collect::<Vec<_>>().join("` or `"),
            ),
        };
        if !granted {
            let f = cx.stack.node(u.function).binding.as_deref().unwrap_or("function");
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{} but `{f}` has no grant for it", u.describe(cx.stack)),
                format!("add `{grant}` to the grants of `{f}`"),
            ));
        }
    }
    out
}
