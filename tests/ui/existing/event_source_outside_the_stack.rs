// An existing stream as an event source: the mapping's failure handling, batch size and
// the stream's retention are checked against a stream the stack owns, which this is not.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let updates = resource!(Existing { kind: Stream, from: Parameter("UpdatesStreamArn") });
    let failures = resource!(Queue { name: "notifier-failures-{suffix}", encryption: Kms, retention_days: 14 });
    let notifier = resource!(Function {
        name: "notifier-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        grants: [updates.read, failures.send],
    });
    resource!(EventSource {
        stream: updates,
        target: notifier,
        starting_position: TrimHorizon,
        retries: 3,
        bisect_on_error: true,
        max_record_age_seconds: 3600,
        on_failure: failures,
        report_batch_item_failures: true,
    });
    resource!(LogGroup { function: notifier, retention_days: 14, removal: Destroy });
    resource!(Output { name: "NotifierFunctionName", value: notifier.name });
    resource!(Output { name: "FailureQueueUrl", value: failures.url });
}

fn main() {}
