use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::api::Api;
use crate::kinds::function::Function;
use crate::kinds::view::FromIndex;
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-API-001",
    title: "An API waits as long as the function it routes to may run",
    mistake: "a rule of tap's own: a route to a function that runs longer than the API waits",
    seed: "",
    explanation: "API Gateway stops waiting for an HTTP API's integration after its timeout \
        (30 seconds at most) and answers 503, while the function goes on running: the client \
        retries, and the work is done twice or half done. A function behind a route has a \
        timeout no longer than the API waits; work that takes longer belongs behind a queue \
        (the route enqueues it and answers 202). The same holds for a raw \
        `AWS::ApiGatewayV2::Integration` naming a function (its `TimeoutInMillis`, default \
        30000).",
    fix: "Lower the function's `timeout_seconds` to the API's `timeout_seconds` (at most 30), or move the long work behind a queue.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("the API answers 503 while the function runs on, so the client retries a request that may have succeeded; no design wants both timeouts as written"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, api) in cx.stack.of::<Api>() {
        for route in api.routes() {
            let Some(f) = Function::from_index(cx.stack, route.target) else { continue };
            if f.timeout() > api.timeout() {
                out.push(Finding::new(
                    RULE.id,
                    route.loc.clone(),
                    format!(
                        "{}: route \"{}\" waits {} s, and function `{}` may run {} s: the client gets 503 while it works",
                        cx.stack.node(i).label,
                        route.key,
                        api.timeout(),
                        route.name,
                        f.timeout()
                    ),
                    format!("write `timeout_seconds: {}` on `{}` (or less), or move the work behind a queue", api.timeout(), route.name),
                ));
            }
        }
    }
    // Raw CloudFormation: an integration that names a function.
    for node in &cx.stack.nodes {
        let Res::Raw(raw) = &node.res else { continue };
        if raw.schema.ty != "AWS::ApiGatewayV2::Integration" {
            continue;
        }
        let Some(uri) = raw.prop("IntegrationUri") else { continue };
        let waits = raw.prop("TimeoutInMillis").and_then(|t| t.value.as_int()).unwrap_or(30_000);
        for name in uri.value.named() {
            let Some(f) = cx.stack.find(name).and_then(|t| Function::from_index(cx.stack, t)) else { continue };
            if f.timeout() * 1000 > waits {
                out.push(Finding::new(
                    RULE.id,
                    uri.loc.clone(),
                    format!("{} waits {waits} ms, and function `{name}` may run {} s: the client gets 503 while it works", node.label, f.timeout()),
                    format!("write `timeout_seconds: {}` on `{name}` (or less), or move the work behind a queue", waits / 1000),
                ));
            }
        }
    }
    out
}
