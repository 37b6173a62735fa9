// A raw Lambda permission for another account, with no condition: whoever holds that
// account may invoke the function with any input, from anywhere.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let builder = resource!(Function {
        name: "reports-builder-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
    });
    resource!(LogGroup { function: builder, retention_days: 14, removal: Destroy });
    resource!(AWS::Lambda::Permission {
        Action: "lambda:InvokeFunction",
        FunctionName: builder.name,
        Principal: "111122223333",
    });
    resource!(Output { name: "BuilderFunctionName", value: builder.name });
}

fn main() {}
