use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::{log_group::RETENTION_DAYS, Kind};
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
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, b) in cx.stack.of_kind(Kind::Bucket) {
        match (b.int("glacier_after_days"), b.int("expire_after_days")) {
            (_, None) => out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{} has no expiration: its objects are kept forever", b.label()),
                "add `expire_after_days: <days>` (the archive keeps 1095)",
            )),
            (Some(g), Some(e)) if g >= e => out.push(Finding::new(
                RULE.id,
                Loc::prop(i, "glacier_after_days"),
                format!("{} moves objects to Glacier after {g} days but expires them after {e}", b.label()),
                "transition before expiry, e.g. `glacier_after_days: 90`",
            )),
            _ => {}
        }
    }
    for (i, g) in cx.stack.of_kind(Kind::LogGroup) {
        match g.int("retention_days") {
            None => out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("log group of `{}` keeps logs forever", g.target("function").unwrap_or_default()),
                "add `retention_days: 14`",
            )),
            Some(d) if !RETENTION_DAYS.contains(&d) => out.push(Finding::new(
                RULE.id,
                Loc::prop(i, "retention_days"),
                format!("CloudWatch Logs does not accept a retention of {d} days"),
                format!("use one of {RETENTION_DAYS:?}"),
            )),
            _ => {}
        }
    }
    for (i, f) in cx.stack.of_kind(Kind::Function) {
        let binding = f.binding.as_deref();
        if binding.is_some() && !cx.stack.of_kind(Kind::LogGroup).any(|(_, g)| g.target("function") == binding) {
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{} has no LogGroup: Lambda would create one that keeps logs forever and outlives the stack", f.label()),
                format!("declare `resource!(LogGroup {{ function: {}, retention_days: 14, removal: Destroy }});`", binding.unwrap_or_default()),
            ));
        }
    }
    out
}
