// A cron expression written as Unix cron reads it: Scheduler's has six fields, and one of
// day-of-month and day-of-week must be `?`. CloudFormation would accept the template and
// the deployment fail; tap says so at the string.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let undelivered = resource!(Queue { name: "reports-undelivered-{suffix}", encryption: SqsManaged, removal: Destroy });
    let failed = resource!(Queue { name: "reports-failed-{suffix}", encryption: SqsManaged, removal: Destroy });
    let exporter = resource!(Function {
        name: "reports-exporter-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        grants: [failed.send],
        async_retries: 2,
        async_max_age_seconds: 3600,
        async_on_failure: failed,
    });
    resource!(LogGroup { function: exporter, retention_days: 14, removal: Destroy });
    resource!(Schedule {
        name: "reports-nightly-{suffix}",
        expression: "cron(0 3 * * *)",
        target: exporter,
        retries: 3,
        dead_letter: undelivered,
    });
    resource!(Alarm { name: "reports-exporter-errors-{suffix}", on: exporter, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "reports-failed-depth-{suffix}", on: failed, metric: QueueDepth, threshold: 1 });
    resource!(Alarm { name: "reports-undelivered-depth-{suffix}", on: undelivered, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "UndeliveredQueueUrl", value: undelivered.url });
    resource!(Output { name: "FailedQueueUrl", value: failed.url });
    resource!(Output { name: "ExporterFunctionName", value: exporter.name });
}

fn main() {}
