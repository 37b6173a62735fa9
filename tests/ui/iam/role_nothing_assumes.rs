// A role no resource of the stack names: standing permissions nobody uses, and nobody
// reviews.
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
    resource!(Role { assumed_by: States, grants: [Raw(["lambda:InvokeFunction"], [builder.arn])] });
}

fn main() {}
