// A schedule that is neither `rate(..)` nor `cron(..)`: the schema's pattern rejects it.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::Rule { Name: "nightly-{suffix}", ScheduleExpression: "every day" });
}

fn main() {}
