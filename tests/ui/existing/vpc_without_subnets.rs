// An existing VPC without its subnets: the functions placed in it would have nowhere to go.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let platform = resource!(Existing { kind: Vpc, from: Parameter("PlatformVpcId") });
    let group = resource!(SecurityGroup { name: "notifier-{suffix}", vpc: platform, description: "notifier" });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        vpc: platform,
        security_group: group,
    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
}

fn main() {}
