// `EnvironmentSuffix` is the parameter tap writes for every stack: an existing resource
// cannot take its identifier from it.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let alerts = resource!(Existing { kind: Topic, from: Parameter("EnvironmentSuffix") });
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
