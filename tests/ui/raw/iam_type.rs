// A hand-written IAM policy: tap writes roles and policies from grants (a function's, or a
// `Role`'s), where TAP-CODE-002 and TAP-IAM-002 see every statement.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::IAM::ManagedPolicy { ManagedPolicyName: "reports-{suffix}", PolicyDocument: { Version: "2012-10-17" } });
}

fn main() {}
