// A nightly export, invoked by EventBridge Scheduler: an asynchronous invocation. Lambda
// retries a failed one and then drops it, so the function states where a failed event goes.
// This one bounds its retries and the age of an event, and names no failure destination.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let undelivered = resource!(Queue { name: "reports-undelivered-{suffix}", encryption: SqsManaged, removal: Destroy });
    let exporter = resource!(Function {
        name: "reports-exporter-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        async_retries: 2,
        async_max_age_seconds: 3600,
    });
    resource!(LogGroup { function: exporter, retention_days: 14, removal: Destroy });
    resource!(Schedule {
        name: "reports-nightly-{suffix}",
        expression: "cron(0 3 * * ? *)",
        timezone: "Europe/Berlin",
        target: exporter,
        retries: 3,
        dead_letter: undelivered,
    });
    resource!(Alarm { name: "reports-exporter-errors-{suffix}", on: exporter, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "reports-undelivered-depth-{suffix}", on: undelivered, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "UndeliveredQueueUrl", value: undelivered.url });
    resource!(Output { name: "ExporterFunctionName", value: exporter.name });
}

fn main() {}
