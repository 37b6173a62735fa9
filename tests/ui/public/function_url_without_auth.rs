// A function URL with `AuthType: NONE`: anyone who finds the URL invokes the function.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let builder = resource!(Function {
        name: "reports-builder-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
    });
    resource!(LogGroup { function: builder, retention_days: 14, removal: Destroy });
    resource!(AWS::Lambda::Url { TargetFunctionArn: builder.arn, AuthType: "NONE" });
    resource!(Output { name: "BuilderFunctionName", value: builder.name });
}

fn main() {}
