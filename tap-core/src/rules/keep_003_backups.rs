use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::deployed::{Role, State};
use crate::kinds::schema::Lifecycle;
use crate::kinds::Res;

/// The shortest automated-backup retention a durable database may have.
pub const MIN_BACKUP_DAYS: i64 = crate::cfn::DURABLE_BACKUP_DAYS;

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
        `snapshot_retention: 0` contradicts it. Raw CloudFormation that holds data is judged by \
        its own settings (`BackupRetentionPeriod`, `SnapshotRetentionLimit`, \
        `PointInTimeRecoveryEnabled`, ...), which tap writes that way when they are left out.",
    fix: "Leave the setting out: tap derives it from the lifecycle (none in ephemeral deployments).",
    lifecycle: Some(Lifecycle::Durable),
    acknowledge: Acknowledge::Never("`disposable: \"why\"` on the resource is the one way to say its data may be lost with the stack; an acknowledgement would be a second, weaker one"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, node) in cx.kept() {
        let (loc, what, key, fix) = match &node.res {
            Res::Database(db) => match db.backup_retention_days.as_ref().filter(|d| d.get() < MIN_BACKUP_DAYS) {
                Some(d) => (
                    d.loc.clone(),
                    format!("keeps {} days of automated backups", d.get()),
                    "backup_retention_days",
                    format!("write `backup_retention_days: {MIN_BACKUP_DAYS}` or more"),
                ),
                None => continue,
            },
            Res::Table(t) => match t.point_in_time_recovery.as_ref().filter(|p| !p.value) {
                Some(p) => (
                    p.loc.clone(),
                    "has point-in-time recovery off".to_owned(),
                    "point_in_time_recovery",
                    "write `point_in_time_recovery: true`".to_owned(),
                ),
                None => continue,
            },
            Res::Cache(c) => match c.snapshot_retention.as_ref().filter(|s| s.get() == 0) {
                Some(s) => (
                    s.loc.clone(),
                    "keeps no snapshots".to_owned(),
                    "snapshot_retention",
                    "write `snapshot_retention: 7`, or mark the cache `disposable: \"<why>\"`".to_owned(),
                ),
                None => continue,
            },
            Res::Vpc(_)
            | Res::Endpoint(_)
            | Res::SecurityGroup(_)
            | Res::Ingress(_)
            | Res::Stream(_)
            | Res::Bucket(_)
            | Res::Secret(_)
            | Res::DatabaseUser(_)
            | Res::Queue(_)
            | Res::Topic(_)
            | Res::Function(_)
            | Res::Role(_)
            | Res::LogGroup(_)
            | Res::EventSource(_)
            | Res::Schedule(_)
            | Res::Api(_)
            | Res::Alarm(_)
            | Res::Output(_)
            | Res::Existing(_)
            | Res::Raw(_) => continue,
        };
        out.push(Finding::new(
            RULE.id,
            loc,
            format!("{} {what}: a durable deployment could not restore it", node.label),
            cx.lifecycle_fix(key, &fix),
        ));
    }
    // Raw CloudFormation it keeps, by its own settings.
    let kept = |i: usize| cx.stack.kept_when_durable(i);
    let raw = [Role::Backups, Role::Snapshots, Role::Recovery].into_iter().flat_map(|role| cx.raw_settings(role));
    for r in raw.filter(|r| kept(r.i)) {
        let what = match r.reading.state {
            State::Days(d) if d < MIN_BACKUP_DAYS => {
                let what = if r.setting.role == Role::Snapshots { "snapshots" } else { "automated backups" };
                format!("keeps {d} day{} of {what}", if d == 1 { "" } else { "s" })
            }
            State::Off => "has its backups off".to_owned(),
            _ => continue,
        };
        out.push(Finding::new(
            RULE.id,
            r.reading.loc.clone(),
            format!("{} {what} (`{}`): a durable deployment could not restore it", r.node.label, r.setting.path),
            cx.lifecycle_fix(&r.setting.path, &format!("write `{}` (or leave it out)", r.write(true, MIN_BACKUP_DAYS))),
        ));
    }
    out
}
