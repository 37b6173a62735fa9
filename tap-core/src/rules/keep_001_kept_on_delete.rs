use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::{Lifecycle, Removal};

pub static RULE: Rule = Rule {
    id: "TAP-KEEP-001",
    title: "A durable deployment keeps what holds data, through a delete and a replacement",
    mistake: "durable lifecycle: a production resource that holds data deleted with its stack, or by a replacement",
    seed: "",
    explanation: "A durable (production) deployment must survive `delete-stack` and any update \
        that replaces a resource: CloudFormation deletes the old physical resource after a \
        replacement unless its UpdateReplacePolicy says otherwise. In a stack that supports the \
        durable lifecycle, tap gives every kind that holds data (database, cache, bucket, stream, \
        secret, log group, queue, table) DeletionPolicy and UpdateReplacePolicy Retain, or \
        Snapshot where the service takes one; a written `removal: Destroy` contradicts it. A \
        resource not worth keeping (a cache rebuilt from the database) says so with \
        `disposable: \"<why>\"`, and the delete plan shows the reason.",
    fix: "Leave `removal` out (the lifecycle decides), or write `disposable: \"<why it need not survive>\"`.",
    lifecycle: Some(Lifecycle::Durable),
    acknowledge: Acknowledge::Never("`disposable: \"why\"` on the resource is the one way to say its data may be lost with the stack; an acknowledgement would be a second, weaker one"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, node) in cx.kept() {
        let Some(removal) = node.res.removal().filter(|r| r.value == Removal::Destroy) else { continue };
        out.push(Finding::new(
            RULE.id,
            removal.loc.clone(),
            format!("{} has `removal: Destroy`: a durable deployment would lose its data on delete or replacement", node.label),
            if cx.stack.supports(Lifecycle::Ephemeral) {
                "remove `removal`: tap deletes it in ephemeral deployments and keeps it in durable ones; or write `disposable: \"<why>\"`".to_owned()
            } else {
                "remove `removal` (durable deployments keep it), or write `disposable: \"<why it need not survive>\"`".to_owned()
            },
        ));
    }
    out
}
