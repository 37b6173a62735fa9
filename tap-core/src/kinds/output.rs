//! `Output`: a stack output, exported as `<stack name>-<name>`, for what the stack's users
//! need to find after deployment (endpoints, names, URLs).

use serde_json::json;

use super::*;
use crate::synth::{r#ref, Json};

pub const SPEC: Spec = Spec {
    word: "Output",
    noun: "output",
    props: &[req("name", Ty::Str), req("value", Ty::Attr), opt("description", Ty::Str), opt("export", Ty::Bool)],
    attrs: &[],
    access: &[],
    naming: None,
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let value = r.get("value").map(|v| cx.value(v)).unwrap_or(Json::Null);
    let mut out = json!({ "Value": value });
    if let Some(d) = r.str("description") {
        out["Description"] = json!(d);
    }
    if r.bool("export") != Some(false) {
        out["Export"] = json!({ "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{}", r.str("name").unwrap_or_default()) } });
    }
    cx.outputs.insert(l, out);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    r#ref(lid)
}
