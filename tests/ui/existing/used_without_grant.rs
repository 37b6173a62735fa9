// A function that binds an existing topic's ARN but holds no grant on it: the grant rule
// reaches resources outside the stack as it reaches the stack's own.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let alerts = resource!(Existing { kind: Topic, from: Parameter("AlertsTopicArn") });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { ALERTS_TOPIC_ARN: alerts.arn },

    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
}

fn main() {}
