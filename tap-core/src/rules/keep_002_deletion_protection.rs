use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Role, State};
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-KEEP-002",
    title: "A durable database or table is protected from deletion",
    mistake:
        "durable lifecycle: a production database one `delete-stack` (or console click) away from gone (cdk-nag RDS10)",
    seed: "",
    explanation: "Deletion protection makes RDS and DynamoDB refuse to delete the resource, \
        whoever asks: a mistyped stack name, a console click, a script. A durable deployment \
        turns it on for every database and table it keeps; a written \
        `deletion_protection: false` contradicts it. Raw CloudFormation that holds data is \
        judged the same way by its own setting (`DeletionProtection`, `DeletionProtectionEnabled`, ...), \
        which tap turns on when it is left out.",
    fix: "Leave `deletion_protection` out: tap turns it on in durable deployments (off in ephemeral ones).",
    lifecycle: Some(Lifecycle::Durable),
    acknowledge: Acknowledge::Never("`disposable: \"why\"` on the resource is the one way to say its data may be lost with the stack; an acknowledgement would be a second, weaker one"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, node) in cx.kept() {
        let Some(off) = node.res.deletion_protection().filter(|p| !p.value) else { continue };
        out.push(Finding::new(
            RULE.id,
            off.loc.clone(),
            format!("{} has deletion protection off: a durable deployment can lose it to one delete", node.label),
            cx.lifecycle_fix("deletion_protection", "write `deletion_protection: true` (or leave it out)"),
        ));
    }
    // Raw CloudFormation that holds data: its protection setting, written off.
    for r in cx
        .raw_settings(Role::Protection)
        .into_iter()
        .filter(|r| r.reading.state == State::Off && cx.stack.kept_when_durable(r.i))
    {
        out.push(Finding::new(
            RULE.id,
            r.reading.loc.clone(),
            format!(
                "{} has deletion protection off (`{}`): a durable deployment can lose it to one delete",
                r.node.label, r.setting.path
            ),
            cx.lifecycle_fix(&r.setting.path, &format!("write `{}` (or leave it out)", r.write(true, 0))),
        ));
    }
    out
}
