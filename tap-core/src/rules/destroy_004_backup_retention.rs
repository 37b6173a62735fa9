use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-DESTROY-004",
    title: "No automated database backups that outlive the stack",
    mistake: "seed mistake 5: RDS backup_retention=Duration.days(7)",
    seed: "backup_retention=Duration.days(7)",
    explanation: "Automated backups are snapshots kept for the retention period; they are billed \
        and can survive the instance. tap sets BackupRetentionPeriod 0 and DeleteAutomatedBackups.",
    fix: "Write `backup_retention_days: 0` or leave it out.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    cx.stack
        .of_kind(Kind::Database)
        .filter_map(|(i, r)| {
            let days = r.int("backup_retention_days").filter(|d| *d > 0)?;
            Some(Finding::new(
                RULE.id,
                Loc::prop(i, "backup_retention_days"),
                format!("{} keeps automated backups for {days} days after it is gone", r.label()),
                "write `backup_retention_days: 0`",
            ))
        })
        .collect()
}
