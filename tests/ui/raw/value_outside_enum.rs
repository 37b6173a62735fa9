// `State` takes one of three words; "ON" is none of them.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::Rule { Name: "nightly-{suffix}", ScheduleExpression: "rate(1 day)", State: "ON" });
}

fn main() {}
