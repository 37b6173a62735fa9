use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::Res;

/// The shortest automated-backup retention a durable database may have.
pub const MIN_BACKUP_DAYS: i64 = 7;

pub static RULE: Rule = Rule {
    id: "TAP-KEEP-003",
    title: "A durable data store keeps backups: a week of them",
    mistake: "durable lifecycle: a production database without automated backups (cdk-nag RDS13)",
    seed: "",
    explanation: "Without automated backups a dropped table or a bad migration is unrecoverable. \
        A durable deployment keeps at least 7 days of RDS automated backups (and keeps them after \
        the instance is deleted), DynamoDB point-in-time recovery, and a week of cache \
        snapshots for a cache it keeps. tap derives these from the lifecycle; a written \
        `backup_retention_days` under 7, `point_in_time_recovery: false` or \
        `snapshot_retention: 0` contradicts it.",
    fix: "Leave the setting out: tap derives it from the lifecycle (none in ephemeral deployments).",
    lifecycle: Some(Lifecycle::Durable),
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, node) in cx.kept() {
        let (loc, what, key, fix) = match &node.res {
            Res::Database(db) => match db.backup_retention_days.as_ref().filter(|d| d.get() < MIN_BACKUP_DAYS) {
                Some(d) => (d.loc.clone(), format!("keeps {} days of automated backups", d.get()), "backup_retention_days", format!("write `backup_retention_days: {MIN_BACKUP_DAYS}` or more")),
                None => continue,
            },
            Res::Table(t) => match t.point_in_time_recovery.as_ref().filter(|p| !p.value) {
                Some(p) => (p.loc.clone(), "has point-in-time recovery off".to_owned(), "point_in_time_recovery", "write `point_in_time_recovery: true`".to_owned()),
                None => continue,
            },
            Res::Cache(c) => match c.snapshot_retention.as_ref().filter(|s| s.get() == 0) {
                Some(s) => (s.loc.clone(), "keeps no snapshots".to_owned(), "snapshot_retention", "write `snapshot_retention: 7`, or mark the cache `disposable: \"<why>\"`".to_owned()),
                None => continue,
            },
            _ => continue,
        };
        out.push(Finding::new(
            RULE.id,
            loc,
            format!("{} {what}: a durable deployment could not restore it", node.label),
            cx.lifecycle_fix(key, &fix),
        ));
    }
    out
}
