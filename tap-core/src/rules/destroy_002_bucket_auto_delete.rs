use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

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
        .of_kind(Kind::Bucket)
        .filter(|(_, r)| r.bool("auto_delete_objects") != Some(true))
        .map(|(i, r)| {
            let loc = if r.get("auto_delete_objects").is_some() { Loc::prop(i, "auto_delete_objects") } else { Loc::resource(i) };
            Finding::new(
                RULE.id,
                loc,
                format!("{} is not emptied on stack deletion, so deleting the stack fails once it holds objects", r.label()),
                "write `auto_delete_objects: true`",
            )
        })
        .collect()
}
