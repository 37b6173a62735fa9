// An existing topic named by its literal ARN: pinned to one account, region and
// environment. Where it lives is the deployment's to say, through a parameter or an import.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let alerts = resource!(Existing { kind: Topic, from: "arn:aws:sns:us-east-1:123456789012:alerts" });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { ALERTS_TOPIC_ARN: alerts.arn },
        grants: [alerts.publish],
    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
}

fn main() {}
