// The component turns off per-record failure reporting: one bad job makes its whole batch
// retry. Used twice, the stack fails twice, once per instance, each naming it.
use tap::prelude::*;

#[component]
pub fn queue_worker(name: Name, code: Code, results: Bucket) {
    let dead_letters = resource!(Queue { name: "{name}-dead-letters-{suffix}", encryption: SqsManaged, retention_days: 14, removal: Destroy });
    let jobs = resource!(Queue {
        name: "{name}-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 180,
        dead_letter: dead_letters,
        max_receive_count: 5,
        removal: Destroy,
    });
    let worker = resource!(Function {
        name: "{name}-worker-{suffix}",
        code: code,
        runtime: ProvidedAl2023,
        timeout_seconds: 30,
        env: { RESULTS_BUCKET: results.name },
        grants: [results.write, jobs.consume],
    });
    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(EventSource { queue: jobs, target: worker, batch_size: 10, report_batch_item_failures: false });
    resource!(Alarm { name: "{name}-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "{name}-dead-letters-{suffix}", on: dead_letters, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "{name}-jobs-queue-url", value: jobs.url });
}

#[stack(name = "Workers")]
pub fn workers() {
    let results = resource!(Bucket {
        name: "worker-results-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    resource!(Output { name: "ResultsBucketName", value: results.name });
    let orders = component!(queue_worker { name: "orders", code: Dir("../fixtures/lambda"), results: results });
    let invoices = component!(queue_worker { name: "invoices", code: Dir("../fixtures/lambda"), results: results });
}

fn main() {}
