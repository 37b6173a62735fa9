// A property the type does not have (a typo of `ScheduleExpression`): CloudFormation would
// fail the deployment; the registry schema fails the build, with the closest name.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::Rule { Name: "nightly-{suffix}", ScheduleExpresion: "rate(1 day)" });
}

fn main() {}
