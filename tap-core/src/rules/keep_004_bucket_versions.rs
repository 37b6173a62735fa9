use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::Bucket;
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-KEEP-004",
    title: "A durable bucket keeps every version and is never emptied by the stack",
    mistake:
        "durable lifecycle: a production bucket emptied by its stack's delete, or its objects overwritten for good",
    seed: "",
    explanation: "A kept bucket must keep its objects: versioning turns an overwrite or a delete \
        into a new version instead of a loss, and the emptier that ephemeral deployments run \
        before deleting a bucket must never run against it. tap turns versioning on and leaves \
        the emptier out in durable deployments; a written `versioned: false` or \
        `auto_delete_objects: true` contradicts it.",
    fix: "Leave `versioned` and `auto_delete_objects` out: tap derives both from the lifecycle.",
    lifecycle: Some(Lifecycle::Durable),
    acknowledge: Acknowledge::Never("`disposable: \"why\"` on the resource is the one way to say its data may be lost with the stack; an acknowledgement would be a second, weaker one"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, b) in cx.stack.of::<Bucket>().filter(|(i, _)| cx.stack.kept_when_durable(*i)) {
        let label = &cx.stack.node(i).label;
        if let Some(on) = b.auto_delete_objects.as_ref().filter(|a| a.value) {
            out.push(Finding::new(
                RULE.id,
                on.loc.clone(),
                format!("{label} is emptied when its stack is deleted: a durable deployment would lose every object"),
                cx.lifecycle_fix("auto_delete_objects", "remove `auto_delete_objects: true`"),
            ));
        }
        if let Some(off) = b.versioned.as_ref().filter(|v| !v.value) {
            out.push(Finding::new(
                RULE.id,
                off.loc.clone(),
                format!("{label} is not versioned: in a durable deployment an overwrite or delete loses the object for good"),
                cx.lifecycle_fix("versioned", "write `versioned: true` (or leave it out)"),
            ));
        }
    }
    out
}
