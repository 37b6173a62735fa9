//! What each function uses: every reference that reaches a function (its environment, the
//! stream that feeds it, the queue its failures go to), and the access each one implies.
//! Each kind says what its own references imply (`Hooks::uses`); the IAM, network and data
//! rules all read this one table.

use crate::kinds::view::{Use, Via};
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
