use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::Bucket;
use crate::kinds::view::at_or;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-002",
    title: "A bucket empties itself when the stack is deleted",
    mistake: "seed mistake 2: the archive bucket has no auto_delete_objects, so deletion fails once it holds data",
    seed: "s3.Bucket(self, \"ArchiveBucket\", removal_policy=RemovalPolicy.RETAIN, ...)  (no auto_delete_objects)",
    explanation: "CloudFormation cannot delete a bucket that still holds objects: the stack's \
        deletion fails and the bucket stays. With `auto_delete_objects: true` tap adds a custom \
        resource that empties the bucket (all versions) before it is deleted.",
    fix: "Write `auto_delete_objects: true` on the bucket.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    cx.stack
        .of::<Bucket>()
        .filter(|(_, b)| b.auto_delete_objects.as_deref() != Some(&true))
        .map(|(i, b)| {
            Finding::new(
                RULE.id,
                at_or(&b.auto_delete_objects, i),
                format!("{} is not emptied on stack deletion, so deleting the stack fails once it holds objects", cx.stack.node(i).label),
                "write `auto_delete_objects: true`",
            )
        })
        .collect()
}
