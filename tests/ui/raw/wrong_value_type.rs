// `AutoDeploy` is a boolean: a list is not.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::ApiGatewayV2::Stage { ApiId: "a1b2c3d4e5", StageName: "$default", AutoDeploy: [true] });
}

fn main() {}
