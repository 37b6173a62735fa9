// A raw resource's name-like create-only property is its physical name: without
// `{suffix}` two environments of the stack collide (seed mistake 1, on a raw type).
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::EventBus { Name: "reports" });
}

fn main() {}
