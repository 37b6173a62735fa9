//! `LogGroup`: a function's log group, declared so that it has a retention period and is
//! deleted with the stack (the one Lambda creates on its own keeps logs forever).

use super::function::Function;
use super::prelude::*;

/// The retention periods CloudWatch Logs accepts.
pub const RETENTION_DAYS: &[i64] = &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

props! {
    pub struct LogGroup {
        function: req Ref<Function>,
        retention_days: opt Int<1, 3653>,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    cfn_type: Some("AWS::Logs::LogGroup"),
    ..Spec::new("LogGroup", "log group", "A function's CloudWatch log group, with its retention.", <LogGroup as super::decode::Decode>::PROPS)
};

impl Hooks for LogGroup {

    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(format!("{}LogGroup", pascal(&self.function.name)))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let function = cx.stack.get(&self.function);
        let mut props = json!({ "LogGroupName": sub(&format!("/aws/lambda/{}", written(&function.name))) });
        if let Some(days) = &self.retention_days {
            props["RetentionInDays"] = json!(days.get());
        }
        cx.add_data(i, &l, "AWS::Logs::LogGroup", props);
    }
}
