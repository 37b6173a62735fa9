//! What each function uses: every reference that reaches a function (its environment, the
//! stream that feeds it, the queue its failures go to), and the access each one implies.
//! Each kind says what its own references imply (`Hooks::uses`); the IAM, network and data
//! rules all read this one table.

use crate::kinds::raw::Raw;
use crate::kinds::view::{AsyncInvoke, Use, Via};
use crate::kinds::Checked;

pub fn uses(stack: &Checked) -> Vec<Use> {
    let mut out = Vec::new();
    for (i, node) in stack.nodes.iter().enumerate() {
        node.res.hooks().uses(i, stack, &mut out);
    }
    // A function's own references first (in function order), then what feeds it.
    out.sort_by_key(|u| !matches!(u.via, Via::Env(_)));
    out
}

/// Every asynchronous invocation of a function of the stack, in stack order: each kind says
/// what it invokes (`Hooks::invokes`: a `Schedule`, and raw CloudFormation that deploys an
/// asynchronous invoker).
pub fn async_invocations(stack: &Checked) -> Vec<AsyncInvoke> {
    let mut out = Vec::new();
    for (i, node) in stack.nodes.iter().enumerate() {
        node.res.hooks().invokes(i, stack, &mut out);
    }
    out
}

/// A raw `AWS::Lambda::EventInvokeConfig` that states all three of retries, age and an
/// on-failure destination for function `f`: the raw form of the function's `async_*`.
pub fn raw_async_config(stack: &Checked, f: usize) -> bool {
    let name = stack.binding(f);
    stack.of::<Raw>().any(|(_, raw)| {
        raw.schema.ty == "AWS::Lambda::EventInvokeConfig"
            && raw.prop("FunctionName").is_some_and(|v| v.value.named().contains(&name))
            && ["MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"]
                .iter()
                .all(|k| raw.prop(k).is_some())
    })
}
