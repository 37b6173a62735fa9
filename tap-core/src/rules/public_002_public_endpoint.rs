use super::{Acknowledge, ANY, Cx, Rule};
use crate::finding::Finding;
use crate::aws_data::deployed::{Role, State};
use crate::kinds::api::{Api, ApiAuth};
use crate::kinds::raw::Raw;
use crate::kinds::Res;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-PUBLIC-002",
    title: "No endpoint is reachable from the internet without authentication",
    mistake: "a raw database cluster with `PubliclyAccessible: true`, a function URL with `AuthType: NONE`, an API route open to anyone without a reason",
    seed: "",
    explanation: "tap's kinds sit in private subnets and are reached with IAM; written raw, a \
        type's `PubliclyAccessible` (`IsPubliclyAccessible`) gives it an address on the \
        internet, and a function URL (or the permission for one) with `AuthType: NONE` lets \
        anyone who finds the URL invoke the function. An API route takes the API's `auth` \
        (`Iam` or `Jwt`); API Gateway's default is none. A route anyone may call (a webhook \
        whose sender signs its requests, a public read) is written `Open(function, \"why\")`, \
        and the reason is part of the review; a raw `AWS::ApiGatewayV2::Route` without an \
        `AuthorizationType` (or with `NONE`) is the same opening, written where no reason fits. \
        Each is an opening a reviewer must see argued, not a default to slip through.",
    fix: "Leave `PubliclyAccessible` out (or `false`); give a function URL `AuthType: AWS_IAM`; give an API `auth: Iam` (or `Jwt`), or write a route that must be open as `Open(function, \"why\")`.",
    lifecycle: None,
    acknowledge: Acknowledge::On(ANY, "a function URL that a webhook provider calls without AWS credentials, verifying the provider's signature itself, is open on purpose"),
    // A function URL without authentication: checkov's check of the same setting.
    checkov: &[("AuthType", &["CKV_AWS_258"])],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = cx
        .raw_settings(Role::Public)
        .into_iter()
        .filter(|r| r.reading.state == State::On)
        .map(|r| {
            Finding::new(
                RULE.id,
                r.reading.loc.clone(),
                format!("{} is reachable from the internet (`{}`)", r.node.label, r.setting.path),
                format!("write `{}` or leave it out", r.write(false, 0)),
            )
        })
        .collect();
    out.extend(open_routes(cx));
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        let Res::Raw(raw) = &node.res else { continue };
        let key = match raw.schema.ty {
            "AWS::Lambda::Url" => "AuthType",
            "AWS::Lambda::Permission" => "FunctionUrlAuthType",
            "AWS::ApiGatewayV2::Route" => {
                out.extend(raw_open_route(i, &node.label, raw));
                continue;
            }
            _ => continue,
        };
        if let Some(v) = raw.prop(key).filter(|v| v.value.as_str() == Some("NONE")) {
            out.push(Finding::new(
                RULE.id,
                v.loc.clone(),
                format!("{} lets anyone invoke the function without signing in (`{key}: \"NONE\"`)", node.label),
                format!("write `{key}: \"AWS_IAM\"`"),
            ));
        }
    }
    out
}

/// A raw route without `AuthorizationType` (API Gateway's default is none), or with `NONE`.
fn raw_open_route(i: usize, label: &str, raw: &Raw) -> Option<Finding> {
    let auth = raw.prop("AuthorizationType");
    if auth.is_some_and(|v| v.value.as_str() != Some("NONE")) {
        return None;
    }
    Some(Finding::new(
        RULE.id,
        auth.map_or(Loc::resource(i), |a| a.loc.clone()),
        format!("{label} lets anyone call the route without signing in"),
        "write `AuthorizationType: \"AWS_IAM\"` (or `JWT` with an authorizer), or declare the API as tap's `Api` and write the route `Open(function, \"why\")`",
    ))
}

/// Routes of an `Api` that take no authorization: the API's `auth` is none and the route is
/// not written `Open(..)`, or its reason is empty.
fn open_routes(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, api) in cx.stack.of::<Api>() {
        let label = &cx.stack.node(i).label;
        for route in api.routes() {
            match &route.open {
                Some(why) if why.trim().is_empty() => out.push(Finding::new(
                    RULE.id,
                    why.loc.clone(),
                    format!("{label}: route \"{}\" is open to anyone, and the reason is empty", route.key),
                    "say why anyone may call it: who calls it and how the function checks them",
                )),
                Some(_) => {}
                None if api.auth() == ApiAuth::None => out.push(Finding::new(
                    RULE.id,
                    route.loc.clone(),
                    format!("{label}: route \"{}\" is open to anyone (the API has no `auth`)", route.key),
                    format!(
                        "write `auth: Iam` (or `Jwt`) on the API, or `\"{}\": Open({}, \"why anyone may call it\")`",
                        route.key, route.name
                    ),
                )),
                None => {}
            }
        }
    }
    out
}
