// A role that grants nothing: the service that assumes it can do nothing for the stack.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let builder = resource!(Function {
        name: "report-builder-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
    });
    resource!(LogGroup { function: builder, retention_days: 14, removal: Destroy });
    resource!(Output { name: "BuilderFunctionName", value: builder.name });
    let flow_role = resource!(Role { assumed_by: States, grants: [] });
    resource!(AWS::StepFunctions::StateMachine {
        StateMachineName: "reports-flow-{suffix}",
        RoleArn: flow_role.arn,
        Definition: { StartAt: "Build", States: { Build: { Type: "Task", Resource: "${BuilderArn}", End: true } } },
        DefinitionSubstitutions: { BuilderArn: builder.arn },
    });
}

fn main() {}
