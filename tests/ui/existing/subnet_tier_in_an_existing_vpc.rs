// A function placed in an existing VPC goes into the subnets the VPC's `subnets` names:
// a tier (`Public`, `Private`) belongs to a VPC the stack owns.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let platform = resource!(Existing { kind: Vpc, from: Parameter("PlatformVpcId"), subnets: Parameter("PlatformSubnetIds") });
    let group = resource!(SecurityGroup { name: "notifier-{suffix}", vpc: platform, description: "notifier" });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        vpc: platform,
        subnets: Public,
        security_group: group,
    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
}

fn main() {}
