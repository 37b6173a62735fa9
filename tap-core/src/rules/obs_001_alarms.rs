use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-OBS-001",
    title: "A fed function is watched: errors, iterator age, failure-queue depth",
    mistake: "seed README issue 10: missing CloudWatch alarms",
    seed: "README: \"10. Missing CloudWatch alarms\"",
    explanation: "A stream consumer fails quietly: errors retry, the iterator falls behind, and \
        records pile up in the failure queue. Each event source needs an alarm on the function's \
        Errors and IteratorAge and on its failure queue's depth; an SQS source, on Errors and on \
        its dead-letter queue's depth.",
    fix: "Declare `resource!(Alarm { name: \"..-{suffix}\", on: <function or queue>, metric: <metric>, threshold: <n> });`.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    let alarmed = |target: &str, metric: &str| {
        cx.stack.of_kind(Kind::Alarm).any(|(_, a)| a.target("on") == Some(target) && a.word("metric") == Some(metric))
    };
    for (i, e) in cx.stack.of_kind(Kind::EventSource) {
        let mut need = |target: Option<&str>, metric: &str, threshold: &str| {
            let Some(t) = target else { return };
            if !alarmed(t, metric) {
                out.push(Finding::new(
                    RULE.id,
                    Loc::resource(i),
                    format!("nothing alarms on {metric} of `{t}`, which this event source feeds"),
                    format!("declare `resource!(Alarm {{ name: \"{}-{}-{{suffix}}\", on: {t}, metric: {metric}, threshold: {threshold} }});`", t.replace('_', "-"), metric.to_lowercase()),
                ));
            }
        };
        need(e.target("target"), "Errors", "1");
        if let Some(queue) = e.target("queue") {
            let dlq = cx.stack.resolve(queue).and_then(|q| q.target("dead_letter"));
            need(dlq, "QueueDepth", "1");
            continue;
        }
        need(e.target("target"), "IteratorAge", "60000");
        need(e.target("on_failure"), "QueueDepth", "1");
    }
    out
}
