use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Role, State};
use crate::kinds::schema::Lifecycle;

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
    // What each kind writes of its backups (`props!` finds the properties by name).
    for (_, node) in cx.kept() {
        let res = &node.res;
        let mut short = Vec::new();
        if let Some(d) = res.backup_retention_days().filter(|d| d.value < MIN_BACKUP_DAYS) {
            let what = format!("keeps {} days of automated backups", d.value);
            short.push((d.loc, what, "backup_retention_days", format!("write `backup_retention_days: {MIN_BACKUP_DAYS}` or more")));
        }
        if let Some(p) = res.point_in_time_recovery().filter(|p| !p.value) {
            let fix = "write `point_in_time_recovery: true`".to_owned();
            short.push((p.loc.clone(), "has point-in-time recovery off".to_owned(), "point_in_time_recovery", fix));
        }
        if let Some(s) = res.snapshot_retention().filter(|s| s.value == 0) {
            let fix = "write `snapshot_retention: 7`, or mark the cache `disposable: \"<why>\"`".to_owned();
            short.push((s.loc, "keeps no snapshots".to_owned(), "snapshot_retention", fix));
        }
        for (loc, what, key, fix) in short {
            out.push(Finding::new(
                RULE.id,
                loc,
                format!("{} {what}: a durable deployment could not restore it", node.label),
                cx.lifecycle_fix(key, &fix),
            ));
        }
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
