use super::{Cx, Rule};
use crate::analysis::grants;
use crate::finding::Finding;

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
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in &cx.uses {
        if u.levels.is_empty() {
            continue;
        }
        let target = cx.stack.resources[u.target].binding.as_deref().unwrap_or_default();
        let granted = grants(cx.stack, u.function).iter().any(|(_, t, level)| *t == target && u.levels.contains(level));
        if !granted {
            let f = &cx.stack.resources[u.function];
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{} but `{}` has no grant for it", u.describe(cx.stack), f.binding.as_deref().unwrap_or("function")),
                format!(
                    "add `{}` to the grants of `{}`",
                    u.levels.iter().map(|l| format!("{target}.{l}")).collect::<Vec<_>>().join("` or `"),
                    f.binding.as_deref().unwrap_or("function")
                ),
            ));
        }
    }
    out
}
