//! `Output`: a stack output, exported as `<stack name>-<name>` (or `export_name`), for what
//! the stack's users need to find after deployment (endpoints, names, URLs). The outputs
//! another stack of the app imports (`data::orders.arn`) are written by the link stage with
//! an `export_name` that holds the `{suffix}`, so it does not depend on the name the stack
//! is deployed under.

use super::prelude::*;
use crate::model::Interpolated;
use crate::model::Value;

props! {
    pub struct Output {
        name: req String,
        value: req AttrRef,
        description: opt String,
        export: opt bool,
        /// The export's name, instead of `<stack name>-<name>`; may hold `{suffix}`.
        export_name: opt String,
    }
}

pub const SPEC: Spec = Spec::new("Output", "output", "A stack output, exported as `<stack name>-<name>`.", <Output as super::decode::Decode>::PROPS);

/// The output the link stage adds to a stack whose resource another stack of the app uses:
/// `binding.attr`, exported as `export_name`.
pub fn export(binding: &str, attr: &str, export_name: &str) -> crate::model::Resource {
    crate::model::Resource::new(SPEC.word, None)
        .with("name", Value::Str(format!("Export{}{}", pascal(binding), pascal(attr))))
        .with("value", Value::attr(binding, attr))
        .with("description", Value::Str(format!("`{binding}.{attr}`, imported by other stacks of the app")))
        .with("export_name", Value::Str(export_name.to_owned()))
}

impl Hooks for Output {
    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(pascal(&Interpolated::parse(&self.name).with_suffix("")))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut out = json!({ "Value": cx.attr(&self.value) });
        if let Some(d) = &self.description {
            out["Description"] = json!(d.value);
        }
        if let Some(name) = &self.export_name {
            out["Export"] = json!({ "Name": crate::cfn::sub(name) });
        } else if self.export.as_deref() != Some(&false) {
            out["Export"] = json!({ "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{}", self.name.value) } });
        }
        cx.out.output(l, out);
    }
}
