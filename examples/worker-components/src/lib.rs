//! Components a platform team ships, for app crates to use by path:
//! `component!(worker_components::queue_worker { .. })` in a stack. A component's version is
//! this crate's, pinned in the app's `Cargo.lock` like any dependency.

use tap::prelude::*;

/// A queue-fed worker: jobs arrive on a queue; the worker function takes them in batches of
/// ten and reports each failed job on its own; a job that fails five times goes to the
/// dead-letter queue, and a job in it pages, as does any error of the worker. The worker
/// writes its results to the caller's bucket.
///
/// - `name`: the worker's name part: its queues are `<name>-{suffix}` and
///   `<name>-dead-letters-{suffix}`, its function `<name>-worker-{suffix}`;
/// - `code`: the worker's code (`Bin("..")`);
/// - `results`: the caller's bucket it writes to.
#[component]
pub fn queue_worker(name: Name, code: Code, results: Bucket) {
    let dead_letters = resource!(Queue {
        name: "{name}-dead-letters-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });
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
        memory: 256,
        timeout_seconds: 30,
        env: { RESULTS_BUCKET: results.name, DEAD_LETTERS_QUEUE_URL: dead_letters.url },
        grants: [results.write, jobs.consume, dead_letters.send],
    });
    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(EventSource { queue: jobs, target: worker, batch_size: 10, report_batch_item_failures: true });
    resource!(Alarm { name: "{name}-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "{name}-dead-letters-{suffix}", on: dead_letters, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "{name}-jobs-queue-url", value: jobs.url });
    resource!(Output { name: "{name}-dead-letters-queue-url", value: dead_letters.url });
}

/// Two workers in one stack, from this crate's own component: the orders and the invoices,
/// writing to one bucket.
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
    let orders =
        component!(queue_worker { name: "orders", code: Dir("../../../tests/ui/fixtures/lambda"), results: results });
    let invoices =
        component!(queue_worker { name: "invoices", code: Dir("../../../tests/ui/fixtures/lambda"), results: results });
    resource!(Output { name: "ResultsBucketName", value: results.name });
}
