use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::Bucket;
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-002",
    title: "A bucket empties itself when the stack is deleted",
    mistake: "seed mistake 2: the archive bucket has no auto_delete_objects, so deletion fails once it holds data",
    seed: "s3.Bucket(self, \"ArchiveBucket\", removal_policy=RemovalPolicy.RETAIN, ...)  (no auto_delete_objects)",
    explanation: "CloudFormation cannot delete a bucket that still holds objects: the stack's \
        deletion fails and the bucket stays. In an ephemeral deployment tap adds a custom \
        resource that empties the bucket (all versions) before it is deleted, unless \
        `auto_delete_objects: false` is written, which this rule rejects.",
    fix: "Leave `auto_delete_objects` out (or write `true`): ephemeral deployments empty their buckets.",
    lifecycle: Some(Lifecycle::Ephemeral),
    acknowledge: Acknowledge::Never("an ephemeral deployment that leaves something behind is a leak that nobody pays for knowingly; what must outlive it belongs to a durable deployment"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    cx.stack
        .of::<Bucket>()
        .filter_map(|(i, b)| {
            let written = b.auto_delete_objects.as_ref().filter(|a| !a.value)?;
            Some(Finding::new(
                RULE.id,
                written.loc.clone(),
                format!(
                    "{} is not emptied on stack deletion, so deleting the stack fails once it holds objects",
                    cx.stack.node(i).label
                ),
                cx.lifecycle_fix("auto_delete_objects", "write `auto_delete_objects: true`"),
            ))
        })
        .collect()
}
