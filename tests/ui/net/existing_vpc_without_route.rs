// A function in an existing VPC publishing to SNS: the stack cannot see that VPC's routes,
// so the function states how it reaches each service it calls (`egress_via_nat`).
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let platform = resource!(Existing { kind: Vpc, from: Parameter("PlatformVpcId"), subnets: Parameter("PlatformSubnetIds") });
    let alerts = resource!(Existing { kind: Topic, from: Parameter("AlertsTopicArn") });
    let group = resource!(SecurityGroup { name: "notifier-{suffix}", vpc: platform, description: "notifier" });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        vpc: platform,
        security_group: group,
        env: { ALERTS_TOPIC_ARN: alerts.arn },
        grants: [alerts.publish],
    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
}

fn main() {}
