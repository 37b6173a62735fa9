// An app stack that is not the product catalog: jobs arrive on an SQS queue, a Rust worker
// stores each job in S3 and sends a job that can never succeed straight to the dead-letter
// queue with its reason. It uses tap only through its public API, as any app crate would.

use tap::prelude::*;

#[stack(name = "SqsWorker")]
pub fn sqs_worker() {
    let dead_letters = resource!(Queue {
        name: "jobs-dead-letters-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });

    let jobs = resource!(Queue {
        name: "jobs-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 180,
        dead_letter: dead_letters,
        max_receive_count: 5,
        removal: Destroy,
    });

    let results = resource!(Bucket {
        name: "job-results-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });

    let worker = resource!(Function {
        name: "job-worker-{suffix}",
        code: Bin("worker"),
        runtime: ProvidedAl2023,
        memory: 256,
        timeout_seconds: 30,
        env: { RESULTS_BUCKET: results.name, DEAD_LETTERS_QUEUE_URL: dead_letters.url },
        grants: [results.write, jobs.consume, dead_letters.send],
    });

    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(EventSource { queue: jobs, target: worker, batch_size: 10, report_batch_item_failures: true });

    resource!(Alarm { name: "job-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "jobs-dead-letters-{suffix}", on: dead_letters, metric: QueueDepth, threshold: 1 });

    resource!(Output { name: "JobsQueueUrl", value: jobs.url });
    resource!(Output { name: "DeadLettersQueueUrl", value: dead_letters.url });
    resource!(Output { name: "ResultsBucketName", value: results.name });
    resource!(Output { name: "WorkerFunctionName", value: worker.name });
}
