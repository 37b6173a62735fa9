use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-005",
    title: "No cache snapshots that outlive the stack",
    mistake: "seed mistake 6: ElastiCache snapshot_retention_limit=5",
    seed: "snapshot_retention_limit=5",
    explanation: "ElastiCache keeps automatic snapshots for the retention limit; they persist \
        after the cluster is deleted. A cache is rebuildable from the database: keep none.",
    fix: "Write `snapshot_retention: 0` or leave it out.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    cx.stack
        .of_kind(Kind::Cache)
        .filter_map(|(i, r)| {
            let days = r.int("snapshot_retention").filter(|d| *d > 0)?;
            Some(Finding::new(
                RULE.id,
                Loc::prop(i, "snapshot_retention"),
                format!("{} keeps {days} days of snapshots that persist after deletion", r.label()),
                "write `snapshot_retention: 0`",
            ))
        })
        .collect()
}
