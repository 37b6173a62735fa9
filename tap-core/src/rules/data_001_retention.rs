use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::bucket::Bucket;
use crate::kinds::function::Function;
use crate::kinds::log_group::{LogGroup, RETENTION_DAYS};
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-DATA-001",
    title: "Stored data declares how long it is kept",
    mistake: "seed mistake 16: no S3 expiration for the 3-year retention (and log groups kept forever)",
    seed: "s3.LifecycleRule(transitions=[s3.Transition(storage_class=GLACIER, transition_after=Duration.days(90))])",
    explanation: "Without an expiration an archive grows forever: cost and a compliance breach for \
        data that must be gone after its retention period. Every bucket declares \
        `expire_after_days` (after any `glacier_after_days`), and every function has a `LogGroup` \
        with a CloudWatch-valid `retention_days` (without one, Lambda creates a group that keeps \
        logs forever and outlives the stack).",
    fix: "Add `expire_after_days: 1095` to the bucket; declare `resource!(LogGroup { function, retention_days: 14, removal: Destroy });`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a long retention is a declaration the kind takes (`expire_after_days: 36500` is a hundred years), so keeping data long is said, not excused"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, b) in cx.stack.of::<Bucket>() {
        let label = &cx.stack.node(i).label;
        match (&b.glacier_after_days, &b.expire_after_days) {
            (_, None) => out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{label} has no expiration: its objects are kept forever"),
                "add `expire_after_days: <days>` (the archive keeps 1095)",
            )),
            (Some(g), Some(e)) if g.get() >= e.get() => out.push(Finding::new(
                RULE.id,
                g.loc.clone(),
                format!("{label} moves objects to Glacier after {} days but expires them after {}", g.get(), e.get()),
                "transition before expiry, e.g. `glacier_after_days: 90`",
            )),
            _ => {}
        }
    }
    for (i, g) in cx.stack.of::<LogGroup>() {
        match &g.retention_days {
            None => out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("log group of `{}` keeps logs forever", g.function.name),
                "add `retention_days: 14`",
            )),
            Some(d) if !RETENTION_DAYS.contains(&d.get()) => out.push(Finding::new(
                RULE.id,
                d.loc.clone(),
                format!("CloudWatch Logs does not accept a retention of {} days", d.get()),
                format!("use one of {RETENTION_DAYS:?}"),
            )),
            _ => {}
        }
    }
    for (i, _) in cx.stack.of::<Function>() {
        let Some(binding) = cx.stack.node(i).binding.as_deref() else { continue };
        if !cx.stack.of::<LogGroup>().any(|(_, g)| g.function.index == i) {
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!(
                    "{} has no LogGroup: Lambda would create one that keeps logs forever and outlives the stack",
                    cx.stack.node(i).label
                ),
                format!(
                    "declare `resource!(LogGroup {{ function: {binding}, retention_days: 14, removal: Destroy }});`"
                ),
            ));
        }
    }
    out
}
