// The SQS form of seed mistake 15: a queue-fed function whose queue has no dead-letter
// queue (a poison message is received forever) and which cannot report per-message failures.
use tap::prelude::*;

#[stack(name = "SqsWorker")]
pub fn sqs_worker() {
    let jobs = resource!(Queue { name: "jobs-{suffix}", encryption: SqsManaged, removal: Destroy });
    let worker = resource!(Function {
        name: "job-worker-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        grants: [jobs.consume],
    });
    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(EventSource { queue: jobs, target: worker, batch_size: 10 });
    resource!(Alarm { name: "job-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Output { name: "JobsQueueUrl", value: jobs.url });
    resource!(Output { name: "WorkerFunctionName", value: worker.name });
}

fn main() {}
