// `DisableExecuteApiEndpoint` is a boolean: a list is not.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    resource!(AWS::ApiGatewayV2::Api { Name: "reports-{suffix}", ProtocolType: "HTTP", DisableExecuteApiEndpoint: [true] });
}

fn main() {}
