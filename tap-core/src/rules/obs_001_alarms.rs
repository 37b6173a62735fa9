use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::alarm::{Alarm, Metric};
use crate::analysis::async_invocations;
use crate::kinds::api::Api;
use crate::kinds::event_source::EventSource;
use crate::kinds::function::Function;
use crate::kinds::schedule::Schedule;
use crate::kinds::view::FromIndex;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-OBS-001",
    title: "A fed or invoked function is watched: errors, iterator age, failure-queue depth",
    mistake: "seed README issue 10: missing CloudWatch alarms",
    seed: "README: \"10. Missing CloudWatch alarms\"",
    explanation: "A stream consumer fails quietly: errors retry, the iterator falls behind, and \
        records pile up in the failure queue. Each event source needs an alarm on the function's \
        Errors and IteratorAge and on its failure queue's depth; an SQS source, on Errors and on \
        its dead-letter queue's depth. A function invoked asynchronously (a schedule, raw \
        CloudFormation that invokes it) needs an alarm on its Errors and on the depth of its \
        `async_on_failure` queue; a schedule, on the depth of its `dead_letter` queue; a \
        function an API routes to, on its Errors.",
    fix: "Declare `resource!(Alarm { name: \"..-{suffix}\", on: <function or queue>, metric: <metric>, threshold: <n> });`.",
    lifecycle: None,
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let alarmed = |target: usize, metric: Metric| cx.stack.of::<Alarm>().any(|(_, a)| a.watches(target, metric));
    for (i, e) in cx.stack.of::<EventSource>() {
        let mut need = |target: Option<usize>, metric: Metric, threshold: &str| {
            let Some(t) = target else { return };
            if !alarmed(t, metric) {
                let (name, metric) = (cx.stack.binding(t), metric.word());
                out.push(Finding::new(
                    RULE.id,
                    Loc::resource(i),
                    format!("nothing alarms on {metric} of `{name}`, which this event source feeds"),
                    format!(
                        "declare `resource!(Alarm {{ name: \"{}-{}-{{suffix}}\", on: {name}, metric: {metric}, threshold: {threshold} }});`",
                        name.replace('_', "-"),
                        metric.to_lowercase()
                    ),
                ));
            }
        };
        need(Some(e.target.index), Metric::Errors, "1");
        if let Some(queue) = &e.queue {
            need(cx.stack.get(queue).dead_letter.as_ref().map(|d| d.index), Metric::QueueDepth, "1");
            continue;
        }
        need(Some(e.target.index), Metric::IteratorAge, "60000");
        need(e.on_failure.as_ref().map(|q| q.index), Metric::QueueDepth, "1");
    }
    out.extend(invoked(cx));
    out
}

/// What an asynchronous invocation needs watched: the function's errors and the queues
/// that receive what failed (the function's, and a schedule's undelivered invocations).
fn invoked(cx: &Cx<'_>) -> Vec<Finding> {
    let alarmed = |target: usize, metric: Metric| cx.stack.of::<Alarm>().any(|(_, a)| a.watches(target, metric));
    let mut out = Vec::new();
    let mut need = |by: usize, target: usize, metric: Metric, why: &str| {
        let finding = |name: &str| {
            Finding::new(
                RULE.id,
                Loc::resource(by),
                format!("nothing alarms on {} of `{name}`, {why}", metric.word()),
                format!(
                    "declare `resource!(Alarm {{ name: \"{}-{}-{{suffix}}\", on: {name}, metric: {}, threshold: 1 }});`",
                    name.replace('_', "-"),
                    metric.word().to_lowercase(),
                    metric.word()
                ),
            )
        };
        let f = finding(cx.stack.binding(target));
        if !alarmed(target, metric) && !out.iter().any(|x: &Finding| x.message == f.message) {
            out.push(f);
        }
    };
    for a in async_invocations(cx.stack) {
        need(a.by, a.function, Metric::Errors, "which this resource invokes");
        if let Some(q) = Function::from_index(cx.stack, a.function).and_then(|f| f.async_on_failure.as_ref()) {
            need(a.by, q.index, Metric::QueueDepth, "where failed invocations go");
        }
    }
    for (i, api) in cx.stack.of::<Api>() {
        for route in api.routes() {
            need(i, route.target, Metric::Errors, "which this API routes to");
        }
    }
    for (i, s) in cx.stack.of::<Schedule>() {
        if let Some(q) = &s.dead_letter {
            need(i, q.index, Metric::QueueDepth, "where undelivered invocations go");
        }
    }
    out
}
