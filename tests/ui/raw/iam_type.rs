// A hand-written IAM role: tap writes roles and policies from grants, where TAP-IAM-001
// and TAP-IAM-002 see every statement.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::IAM::Role { RoleName: "reports-{suffix}", AssumeRolePolicyDocument: "{}" });
}

fn main() {}
