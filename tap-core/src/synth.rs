//! CloudFormation synthesis: a checked stack becomes a template, deterministically
//! (logical ids from declared names, keys in insertion order, no clocks, no randomness).
//! Each kind writes its own resources; this is only the frame around them.

use serde_json::{json, Map};

use crate::cfn::{Json, Out, SUFFIX_PARAM, SUFFIX_PATTERN};
use crate::kinds::view::SynthCx;
use crate::kinds::Checked;

/// Writes the template of a stack that has passed [`crate::check`].
pub fn template(stack: &Checked) -> Json {
    let mut cx = SynthCx { stack, lids: stack.logical_ids(), out: Out::default() };
    cx.out.parameter(
        SUFFIX_PARAM,
        json!({
            "Type": "String",
            "Description": "Environment suffix carried by every physical name (dev, pr123, ...)",
            "AllowedPattern": SUFFIX_PATTERN,
            "ConstraintDescription": "1 to 12 lowercase letters or digits",
        }),
    );
    for (i, node) in stack.nodes.iter().enumerate() {
        node.res.hooks().synth(&mut cx, i);
    }
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    t.insert("Description".into(), json!(format!("{} (synthesised by tap)", stack.name)));
    t.insert("Parameters".into(), Json::Object(cx.out.parameters));
    t.insert("Resources".into(), Json::Object(cx.out.resources));
    if !cx.out.outputs.is_empty() {
        t.insert("Outputs".into(), Json::Object(cx.out.outputs));
    }
    Json::Object(t)
}
