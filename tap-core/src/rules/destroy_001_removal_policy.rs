use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::{Lifecycle, Removal};
use crate::kinds::Kind;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-001",
    title: "An ephemeral deployment destroys every resource with its stack",
    mistake: "seed mistakes 2, 4 and 7: RETAIN on the S3 bucket, SNAPSHOT on RDS, RETAIN on the log group",
    seed: "removal_policy=RemovalPolicy.RETAIN  /  removal_policy=RemovalPolicy.SNAPSHOT",
    explanation: "A stack must be deletable without leaving anything behind: a retained bucket, \
        snapshot or log group outlives the environment, keeps costing money and blocks the next \
        deployment that reuses its name. In a stack that supports the ephemeral lifecycle, tap \
        writes DeletionPolicy and UpdateReplacePolicy Delete in the ephemeral template; a \
        written `removal: Retain` or `Snapshot` contradicts it.",
    fix: "Leave `removal` out: the lifecycle decides (or write `removal: Destroy` in an ephemeral-only stack).",
    lifecycle: Some(Lifecycle::Ephemeral),
    acknowledge: Acknowledge::Never("an ephemeral deployment that leaves something behind is a leak that nobody pays for knowingly; what must outlive it belongs to a durable deployment"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for node in &cx.stack.nodes {
        let Some(removal) = node.res.removal() else { continue };
        let what = match (node.kind, removal.value) {
            (_, Removal::Destroy) => continue,
            (Kind::Database, Removal::Snapshot) => "leaves a final snapshot behind",
            (_, Removal::Snapshot) => "leaves a snapshot behind",
            (_, Removal::Retain) => "is kept when the stack is deleted",
        };
        out.push(Finding::new(
            RULE.id,
            removal.loc.clone(),
            format!("{} has `removal: {}`: it {what}", node.label, removal.word()),
            cx.lifecycle_fix("removal", "write `removal: Destroy`"),
        ));
    }
    out
}
