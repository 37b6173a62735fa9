// A queue that makes a message visible again while the function still works on it: Lambda
// rejects the mapping at deploy time, so the stack must not compile.
use tap::prelude::*;

#[stack(name = "SqsWorker")]
pub fn sqs_worker() {
    let dead_letters = resource!(Queue { name: "jobs-dead-letters-{suffix}", encryption: SqsManaged, removal: Destroy });
    let jobs = resource!(Queue {
        name: "jobs-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 30,
        dead_letter: dead_letters,
        removal: Destroy,
    });
    let worker = resource!(Function {
        name: "job-worker-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 120,
        grants: [jobs.consume],
    });
    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(EventSource { queue: jobs, target: worker, batch_size: 10, report_batch_item_failures: true });
    resource!(Alarm { name: "job-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "jobs-dead-letters-{suffix}", on: dead_letters, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "JobsQueueUrl", value: jobs.url });
    resource!(Output { name: "DeadLettersQueueUrl", value: dead_letters.url });
    resource!(Output { name: "WorkerFunctionName", value: worker.name });
}

fn main() {}
