//! `Role`: an IAM role an AWS service assumes to act for the stack (a Step Functions
//! state machine invoking a function, an EventBridge rule or pipe delivering to a queue,
//! a scheduler), its permissions written as grants exactly like a function's: one
//! statement per grant, exact actions on exact ARNs, no managed policies. The resource
//! that uses it names `role.arn` (a raw resource's `RoleArn`).
//!
//! Raw `AWS::IAM::*` resources stay refused: this is the one way to write a role, so
//! TAP-CODE-002 and TAP-IAM-002 read every policy the stack holds. What tap cannot see is
//! what the service does with the role (a state machine's definition is the service's),
//! so TAP-IAM-001 does not reach it; a role nothing names is TAP-IAM-002's.

use super::prelude::*;

words! {
    /// The service that assumes the role.
    pub enum AssumedBy { States, Events, Scheduler, Pipes, ApiGateway, Firehose }
}

impl AssumedBy {
    /// The service principal.
    pub fn principal(self) -> &'static str {
        match self {
            AssumedBy::States => "states.amazonaws.com",
            AssumedBy::Events => "events.amazonaws.com",
            AssumedBy::Scheduler => "scheduler.amazonaws.com",
            AssumedBy::Pipes => "pipes.amazonaws.com",
            AssumedBy::ApiGateway => "apigateway.amazonaws.com",
            AssumedBy::Firehose => "firehose.amazonaws.com",
        }
    }
}

props! {
    pub struct Role {
        /// The service allowed to assume it (only from this account: `aws:SourceAccount`).
        assumed_by: req AssumedBy,
        grants: req Vec<At<Grant>>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("arn", AttrExpr::GetAtt("Arn")), attr("name", AttrExpr::Ref)],
    cfn_type: Some("AWS::IAM::Role"),
    ..Spec::new("Role", "role", "An IAM role a service assumes for the stack, its policy written as grants.", <Role as super::decode::Decode>::PROPS)
};

impl Hooks for Role {
    fn grants(&self) -> &[At<Grant>] {
        &self.grants
    }

    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        if self.grants.is_empty() {
            out.push(Finding::dsl(
                Dsl::Missing,
                self.grants.loc.clone(),
                format!("{} grants nothing, so the service can do nothing with it", stack.node(i).label),
                "grant what the service does for the stack: a level such as `reports.write`, or `Raw([\"lambda:InvokeFunction\"], [builder.arn])`",
            ));
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut props = json!({
            // The confused-deputy guard: the service may assume it only on behalf of
            // this account's resources.
            "AssumeRolePolicyDocument": service_trust(self.assumed_by.principal(), true),
        });
        if let Some(policies) = role_policies(vec![("grants", cx.grant_statements(&self.grants))]) {
            props["Policies"] = policies;
        }
        cx.out.add(&l, "AWS::IAM::Role", props);
        cx.after_emptiers(&l, self.grants());
    }
}
