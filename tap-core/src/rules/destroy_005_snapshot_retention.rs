use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::cache::Cache;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-005",
    title: "No cache snapshots that outlive the stack",
    mistake: "seed mistake 6: ElastiCache snapshot_retention_limit=5",
    seed: "snapshot_retention_limit=5",
    explanation: "ElastiCache keeps automatic snapshots for the retention limit; they persist \
        after the cluster is deleted. A cache is rebuildable from the database: keep none.",
    fix: "Write `snapshot_retention: 0` or leave it out.",
    lifecycle: Some(Lifecycle::Ephemeral),
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    cx.stack
        .of::<Cache>()
        .filter_map(|(i, c)| {
            let days = c.snapshot_retention.as_ref().filter(|d| d.get() > 0)?;
            Some(Finding::new(
                RULE.id,
                days.loc.clone(),
                format!("{} keeps {} days of snapshots that persist after deletion", cx.stack.node(i).label, days.get()),
                cx.lifecycle_fix("snapshot_retention", "write `snapshot_retention: 0`"),
            ))
        })
        .collect()
}
