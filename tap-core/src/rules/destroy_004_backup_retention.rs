use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Read, Role, State};
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-004",
    title: "No automated database backups that outlive the stack",
    mistake: "seed mistake 5: RDS backup_retention=Duration.days(7)",
    seed: "backup_retention=Duration.days(7)",
    explanation: "Automated backups are snapshots kept for the retention period; they are billed \
        and can survive the instance. tap sets BackupRetentionPeriod 0 and DeleteAutomatedBackups. \
        A DynamoDB table with point-in-time recovery is the same mistake: DynamoDB keeps a backup \
        of a deleted table for 35 days. Raw CloudFormation is judged by its own settings \
        (`BackupRetentionPeriod` at the least the type accepts, `PointInTimeRecoveryEnabled` off), \
        which tap writes that way when they are left out.",
    fix: "Write `backup_retention_days: 0` (a table: `point_in_time_recovery: false`) or leave it out.",
    lifecycle: Some(Lifecycle::Ephemeral),
    acknowledge: Acknowledge::Never("an ephemeral deployment that leaves something behind is a leak that nobody pays for knowingly; what must outlive it belongs to a durable deployment"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // What each kind writes of its backups (`props!` finds the properties by name).
    for node in &cx.stack.nodes {
        if let Some(days) = node.res.backup_retention_days().filter(|d| d.value > 0) {
            out.push(Finding::new(
                RULE.id,
                days.loc,
                format!("{} keeps automated backups for {} days after it is gone", node.label, days.value),
                cx.lifecycle_fix("backup_retention_days", "write `backup_retention_days: 0`"),
            ));
        }
        if let Some(pitr) = node.res.point_in_time_recovery().filter(|p| p.value) {
            out.push(Finding::new(
                RULE.id,
                pitr.loc.clone(),
                format!(
                    "{} has point-in-time recovery: DynamoDB keeps a backup of it for 35 days after it is deleted",
                    node.label
                ),
                cx.lifecycle_fix("point_in_time_recovery", "write `point_in_time_recovery: false`"),
            ));
        }
    }
    for r in cx.raw_settings(Role::Backups) {
        let (State::Days(days), Read::Days { min }) = (r.reading.state, r.setting.read) else { continue };
        if days > min {
            out.push(Finding::new(
                RULE.id,
                r.reading.loc.clone(),
                format!(
                    "{} keeps automated backups for {days} days after it is gone (`{}`)",
                    r.node.label, r.setting.path
                ),
                cx.lifecycle_fix(&r.setting.path, &format!("write `{}` or leave it out", r.write(false, min))),
            ));
        }
    }
    for r in cx.raw_settings(Role::Recovery).into_iter().filter(|r| r.reading.state == State::On) {
        out.push(Finding::new(
            RULE.id,
            r.reading.loc.clone(),
            format!("{} keeps backups that outlive it (`{}`)", r.node.label, r.setting.path),
            cx.lifecycle_fix(&r.setting.path, &format!("write `{}` or leave it out", r.write(false, 0))),
        ));
    }
    out
}
