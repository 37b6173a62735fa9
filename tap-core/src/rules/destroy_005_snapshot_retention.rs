use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Role, State};
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-005",
    title: "No cache snapshots that outlive the stack",
    mistake: "seed mistake 6: ElastiCache snapshot_retention_limit=5",
    seed: "snapshot_retention_limit=5",
    explanation: "ElastiCache keeps automatic snapshots for the retention limit; they persist \
        after the cluster is deleted. A cache is rebuildable from the database: keep none. \
        Raw CloudFormation with a `SnapshotRetentionLimit` (a cache cluster, a serverless \
        cache, MemoryDB) is judged the same way; tap writes 0 when it is left out.",
    fix: "Write `snapshot_retention: 0` or leave it out.",
    lifecycle: Some(Lifecycle::Ephemeral),
    acknowledge: Acknowledge::Never("an ephemeral deployment that leaves something behind is a leak that nobody pays for knowingly; what must outlive it belongs to a durable deployment"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let raw = cx.raw_settings(Role::Snapshots).into_iter().filter_map(|r| {
        let State::Days(days) = r.reading.state else { return None };
        (days > 0).then(|| {
            Finding::new(
                RULE.id,
                r.reading.loc.clone(),
                format!(
                    "{} keeps {days} days of snapshots that persist after deletion (`{}`)",
                    r.node.label, r.setting.path
                ),
                cx.lifecycle_fix(&r.setting.path, &format!("write `{}` or leave it out", r.write(false, 0))),
            )
        })
    });
    // What each kind writes of its snapshots (`props!` finds the property by name).
    cx.stack
        .nodes
        .iter()
        .filter_map(|node| {
            let days = node.res.snapshot_retention().filter(|d| d.value > 0)?;
            Some(Finding::new(
                RULE.id,
                days.loc,
                format!("{} keeps {} days of snapshots that persist after deletion", node.label, days.value),
                cx.lifecycle_fix("snapshot_retention", "write `snapshot_retention: 0`"),
            ))
        })
        .chain(raw)
        .collect()
}
