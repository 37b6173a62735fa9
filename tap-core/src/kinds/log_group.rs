//! `LogGroup`: a function's log group, declared so that it has a retention period and is
//! deleted with the stack (the one Lambda creates on its own keeps logs forever).

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, Json};

/// The retention periods CloudWatch Logs accepts.
pub const RETENTION_DAYS: &[i64] = &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

pub const SPEC: Spec = Spec {
    word: "LogGroup",
    noun: "log group",
    props: &[req("function", Ty::Ref(&[Kind::Function])), opt("retention_days", Ty::Int { min: 1, max: 3653 }), opt("removal", REMOVAL)],
    attrs: &["name", "arn"],
    access: &[],
    naming: None,
    service: None,
    vpc_port: None,
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let (_, function) = cx.target(r, "function");
    let name = format!("/aws/lambda/{}", function.str("name").unwrap_or_default());
    let mut props = json!({ "LogGroupName": crate::synth::sub(&name) });
    if let Some(days) = r.int("retention_days") {
        props["RetentionInDays"] = json!(days);
    }
    cx.add_stateful(&l, "AWS::Logs::LogGroup", props, r);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "name" => r#ref(lid),
        _ => get_att(lid, "Arn"),
    }
}
