// `GetAtt` of an attribute the type does not have: an event bus has `Arn` (its name is
// its `Ref`), not `Url`.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let bus = resource!(AWS::Events::EventBus { Name: "reports-{suffix}" });
    resource!(AWS::Events::Rule { Name: "nightly-{suffix}", EventBusName: bus.Url, EventPattern: "{}" });
}

fn main() {}
