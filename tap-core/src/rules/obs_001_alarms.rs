use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::alarm::{Alarm, Metric};
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
    acknowledge: Acknowledge::On(&[Lifecycle::Ephemeral], "a preview deployment pages nobody; a durable one's failures must reach someone, so there it cannot be acknowledged"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in cx.stack.of::<EventSource>() {
        let why = "which this event source feeds";
        out.extend(missing_alarm(cx, i, e.target.index, Metric::Errors, "1", why));
        if let Some(queue) = &e.queue {
            if let Some(d) = &cx.stack.get(queue).dead_letter {
                out.extend(missing_alarm(cx, i, d.index, Metric::QueueDepth, "1", why));
            }
            continue;
        }
        out.extend(missing_alarm(cx, i, e.target.index, Metric::IteratorAge, "60000", why));
        if let Some(q) = &e.on_failure {
            out.extend(missing_alarm(cx, i, q.index, Metric::QueueDepth, "1", why));
        }
    }
    out.extend(invoked(cx));
    out
}

/// The finding at resource `at` when nothing alarms on `metric` of `target`.
fn missing_alarm(cx: &Cx<'_>, at: usize, target: usize, metric: Metric, threshold: &str, why: &str) -> Option<Finding> {
    if cx.stack.of::<Alarm>().any(|(_, a)| a.watches(target, metric)) {
        return None;
    }
    let (name, metric) = (cx.stack.binding(target), metric.word());
    Some(Finding::new(
        RULE.id,
        Loc::resource(at),
        format!("nothing alarms on {metric} of `{name}`, {why}"),
        format!(
            "declare `resource!(Alarm {{ name: \"{}-{}-{{suffix}}\", on: {name}, metric: {metric}, threshold: {threshold} }});`",
            name.replace('_', "-"),
            metric.to_lowercase()
        ),
    ))
}

/// What an asynchronous or routed invocation needs watched: the function's errors and the
/// queues that receive what failed (the function's, and a schedule's undelivered
/// invocations). Each is asked once, however many invokers share it.
fn invoked(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut need = |by: usize, target: usize, metric: Metric, why: &str| {
        if let Some(f) = missing_alarm(cx, by, target, metric, "1", why) {
            if !out.iter().any(|x| x.message == f.message) {
                out.push(f);
            }
        }
    };
    for a in &cx.invocations {
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
