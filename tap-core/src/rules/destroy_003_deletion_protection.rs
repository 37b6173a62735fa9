use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Role, State};
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-003",
    title: "No deletion protection",
    mistake: "seed mistake 3: RDS deletion_protection=True",
    seed: "deletion_protection=True",
    explanation: "Deletion protection makes CloudFormation's delete fail on the database (or \
        DynamoDB table), so the environment can never be torn down by deleting its stack. The \
        same holds for every raw CloudFormation type with such a setting (`DeletionProtection`, \
        `DeletionProtectionEnabled`, `TerminationProtectionEnabled`, `DisableApiTermination`, ...): \
        an ephemeral deployment leaves them off, and tap writes them off when they are left out.",
    fix: "Write `deletion_protection: false` or leave it out.",
    lifecycle: Some(Lifecycle::Ephemeral),
    acknowledge: Acknowledge::Never("an ephemeral deployment that leaves something behind is a leak that nobody pays for knowingly; what must outlive it belongs to a durable deployment"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for node in &cx.stack.nodes {
        if let Some(p) = node.res.deletion_protection().filter(|p| p.value) {
            out.push(Finding::new(
                RULE.id,
                p.loc.clone(),
                format!("{} has deletion protection, so the stack cannot be deleted", node.label),
                cx.lifecycle_fix("deletion_protection", "write `deletion_protection: false`"),
            ));
        }
    }
    for r in cx.raw_settings(Role::Protection).into_iter().filter(|r| r.reading.state == State::On) {
        out.push(Finding::new(
            RULE.id,
            r.reading.loc.clone(),
            format!("{} has deletion protection (`{}`), so the stack cannot be deleted", r.node.label, r.setting.path),
            cx.lifecycle_fix(&r.setting.path, &format!("write `{}` or leave it out", r.write(false, 0))),
        ));
    }
    out
}
