// `Under(arn, path)` grants what lies under a resource (an ARN followed by a path); a bare
// "*" would be every resource of every service, so the path must start with `/` or `:`.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let bus = resource!(AWS::Events::EventBus { Name: "reports-{suffix}" });
    let builder = resource!(Function {
        name: "report-builder-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { REPORTS_BUS_ARN: bus.Arn },
        grants: [Raw(["events:PutEvents"], [bus.Arn, Under(bus.Arn, "*")])],
    });
    resource!(LogGroup { function: builder, retention_days: 14, removal: Destroy });
    resource!(Output { name: "BuilderFunctionName", value: builder.name });
}

fn main() {}
