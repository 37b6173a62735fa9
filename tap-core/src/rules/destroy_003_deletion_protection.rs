use super::{Cx, Rule};
use crate::finding::Finding;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-003",
    title: "No deletion protection",
    mistake: "seed mistake 3: RDS deletion_protection=True",
    seed: "deletion_protection=True",
    explanation: "Deletion protection makes CloudFormation's delete fail on the database, so the \
        environment can never be torn down by deleting its stack.",
    fix: "Write `deletion_protection: false` or leave it out.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    cx.stack
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.bool("deletion_protection") == Some(true))
        .map(|(i, r)| {
            Finding::new(
                RULE.id,
                Loc::prop(i, "deletion_protection"),
                format!("{} has deletion protection, so the stack cannot be deleted", r.label()),
                "write `deletion_protection: false`",
            )
        })
        .collect()
}
