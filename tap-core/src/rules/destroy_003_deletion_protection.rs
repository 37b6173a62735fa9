use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-003",
    title: "No deletion protection",
    mistake: "seed mistake 3: RDS deletion_protection=True",
    seed: "deletion_protection=True",
    explanation: "Deletion protection makes CloudFormation's delete fail on the database (or \
        DynamoDB table), so the environment can never be torn down by deleting its stack.",
    fix: "Write `deletion_protection: false` or leave it out.",
    lifecycle: Some(Lifecycle::Ephemeral),
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for node in &cx.stack.nodes {
        let protection = match &node.res {
            Res::Database(d) => &d.deletion_protection,
            Res::Table(t) => &t.deletion_protection,
            _ => continue,
        };
        if let Some(p) = protection.as_ref().filter(|p| p.value) {
            out.push(Finding::new(
                RULE.id,
                p.loc.clone(),
                format!("{} has deletion protection, so the stack cannot be deleted", node.label),
                cx.lifecycle_fix("deletion_protection", "write `deletion_protection: false`"),
            ));
        }
    }
    out
}
