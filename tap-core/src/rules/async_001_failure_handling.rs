use super::{Acknowledge, ANY, Cx, Rule};
use crate::analysis::raw_async_config;
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::schedule::Schedule;
use crate::kinds::value::at_or;
use crate::kinds::view::FromIndex;

pub static RULE: Rule = Rule {
    id: "TAP-ASYNC-001",
    title: "A function invoked asynchronously handles failure: bounded retries and age, a failure destination",
    mistake: "seed mistake 15, for the invocations no event source mapping makes",
    seed: "",
    explanation: "A schedule, an EventBridge rule, a topic or a bucket notification invokes a \
        function asynchronously: Lambda queues the event and answers at once, retries a failed \
        one twice, keeps a waiting one up to six hours, and then drops it without a trace. A \
        function invoked that way states its retries (`async_retries`), how long an event may \
        wait (`async_max_age_seconds`) and where an event that still fails goes \
        (`async_on_failure`, a queue its role may send to), as an event source does \
        (TAP-ESM-001). A `Schedule` also states what happens when Scheduler cannot deliver at \
        all (the function throttled, deleted or denied): its `retries` (Scheduler's default is \
        185, over a day) and its `dead_letter` queue. The same holds for raw CloudFormation: a \
        permission for an asynchronous service (`events`, `scheduler`, `s3`, `sns`, ...), a \
        rule's target, a topic's Lambda subscription or a bucket notification that names a \
        function asks the same of it; a raw `AWS::Lambda::EventInvokeConfig` naming the function \
        with all three settings answers it.",
    fix: "On the function: `async_retries`, `async_max_age_seconds`, `async_on_failure` (and grant it `<queue>.send`); on a schedule: `retries` and `dead_letter`.",
    lifecycle: None,
    acknowledge: Acknowledge::On(ANY, "a job whose next run redoes the work (an hourly reconcile) can drop a failed event by design; the reason says why nothing is lost"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut asked = Vec::new();
    for a in &cx.invocations {
        // Once per function, naming the first invoker.
        if asked.contains(&a.function) {
            continue;
        }
        asked.push(a.function);
        let Some(f) = Function::from_index(cx.stack, a.function) else { continue };
        if raw_async_config(cx.stack, a.function) {
            continue;
        }
        let label =
            format!("function `{}` is invoked asynchronously by {} and", cx.stack.binding(a.function), invoker(cx, a.by));
        let mut need = |missing: bool, loc, what: &str, fix: &str| {
            if missing {
                out.push(Finding::new(RULE.id, loc, format!("{label} {what}"), fix.to_owned()));
            }
        };
        need(
            f.async_retries.is_none(),
            at_or(&f.async_retries, a.function),
            "does not state how often a failed event is retried",
            "write `async_retries: 2`",
        );
        need(
            f.async_max_age_seconds.is_none(),
            at_or(&f.async_max_age_seconds, a.function),
            "does not state how long an event may wait",
            "write `async_max_age_seconds: 3600`",
        );
        need(
            f.async_on_failure.is_none(),
            at_or(&f.async_on_failure, a.function),
            "drops an event that still fails",
            "write `async_on_failure: <queue>`, and grant the function `<queue>.send`",
        );
    }
    for (i, s) in cx.stack.of::<Schedule>() {
        let label = invoker(cx, i);
        if s.retries.is_none() {
            out.push(Finding::new(
                RULE.id,
                at_or(&s.retries, i),
                format!("{label} retries an invocation it cannot deliver 185 times over a day (Scheduler's default)"),
                "write `retries: 3`",
            ));
        }
        if s.dead_letter.is_none() {
            out.push(Finding::new(
                RULE.id,
                at_or(&s.dead_letter, i),
                format!("{label} drops an invocation it cannot deliver"),
                "write `dead_letter: <queue>`",
            ));
        }
    }
    out
}

/// How a message names an invoker: its binding, else its name (`schedule "nightly-{suffix}"`).
fn invoker(cx: &Cx<'_>, i: usize) -> String {
    let node = cx.stack.node(i);
    match (&node.binding, node.res.physical_name()) {
        (None, Some(name)) => format!("{} \"{}\"", node.spec().noun, name.0),
        _ => node.label.clone(),
    }
}
