// Two existing resources read from one parameter: one of them is not what its kind says
// (a topic ARN cannot also be a queue ARN).
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let alerts = resource!(Existing { kind: Topic, from: Parameter("AlertsArn") });
    let backlog = resource!(Existing { kind: Queue, from: Parameter("AlertsArn") });
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
