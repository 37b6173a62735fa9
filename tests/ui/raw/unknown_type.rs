// A misspelt CloudFormation type: the registry lists every type, so the closest is named.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::Rul { Name: "nightly-{suffix}", ScheduleExpression: "rate(1 day)" });
}

fn main() {}
