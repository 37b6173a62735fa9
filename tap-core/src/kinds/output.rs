//! `Output`: a stack output, exported as `<stack name>-<name>`, for what the stack's users
//! need to find after deployment (endpoints, names, URLs).

use super::prelude::*;

props! {
    pub struct Output {
        name: req String,
        value: req AttrRef,
        description: opt String,
        export: opt bool,
    }
}

pub const SPEC: Spec = Spec::new("Output", "output", "A stack output, exported as `<stack name>-<name>`.", <Output as super::decode::Decode>::PROPS);

impl Hooks for Output {
    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(pascal(&self.name.replace("{suffix}", "")))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut out = json!({ "Value": cx.attr(&self.value) });
        if let Some(d) = &self.description {
            out["Description"] = json!(d.value);
        }
        if self.export.as_deref() != Some(&false) {
            out["Export"] = json!({ "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{}", self.name.value) } });
        }
        cx.out.output(l, out);
    }
}
