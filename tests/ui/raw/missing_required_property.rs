// A rule target without its `Id`: required by the schema, inside the nested shape.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::Events::Rule { Name: "nightly-{suffix}", ScheduleExpression: "rate(1 day)", Targets: [{ Arn: "arn:aws:sns:us-east-1:123456789012:t" }] });
}

fn main() {}
