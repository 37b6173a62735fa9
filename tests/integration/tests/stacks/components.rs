// The queue worker of the example components crate (`examples/worker-components`), used
// from this crate by path, and the same resources written by hand, bound as the component
// binds an instance's (`<instance>_<binding>`): the two templates are the same.

use tap::prelude::*;

#[stack(name = "OrdersWorker")]
pub fn with_component() {
    let results = resource!(Bucket {
        name: "orders-results-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    let orders = component!(worker_components::queue_worker {
        name: "orders",
        code: Dir("../../../ui/fixtures/lambda"),
        results: results,
    });
    resource!(Output { name: "ResultsBucketName", value: results.name });
    resource!(Output { name: "OrdersWorkerName", value: orders.worker.name });
}

#[stack(name = "OrdersWorker")]
pub fn by_hand() {
    let results = resource!(Bucket {
        name: "orders-results-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    let orders_dead_letters = resource!(Queue {
        name: "orders-dead-letters-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });
    let orders_jobs = resource!(Queue {
        name: "orders-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 180,
        dead_letter: orders_dead_letters,
        max_receive_count: 5,
        removal: Destroy,
    });
    let orders_worker = resource!(Function {
        name: "orders-worker-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        memory: 256,
        timeout_seconds: 30,
        env: { RESULTS_BUCKET: results.name, DEAD_LETTERS_QUEUE_URL: orders_dead_letters.url },
        grants: [results.write, orders_jobs.consume, orders_dead_letters.send],
    });
    resource!(LogGroup { function: orders_worker, retention_days: 7, removal: Destroy });
    resource!(EventSource {
        queue: orders_jobs,
        target: orders_worker,
        batch_size: 10,
        report_batch_item_failures: true
    });
    resource!(Alarm { name: "orders-worker-errors-{suffix}", on: orders_worker, metric: Errors, threshold: 1 });
    resource!(Alarm {
        name: "orders-dead-letters-{suffix}",
        on: orders_dead_letters,
        metric: QueueDepth,
        threshold: 1
    });
    resource!(Output { name: "orders-jobs-queue-url", value: orders_jobs.url });
    resource!(Output { name: "orders-dead-letters-queue-url", value: orders_dead_letters.url });
    resource!(Output { name: "ResultsBucketName", value: results.name });
    resource!(Output { name: "OrdersWorkerName", value: orders_worker.name });
}

// A component in an app, given another stack's bucket: the instance's grant and variable
// read it through the export, as written inline they would.
#[tap::app]
pub mod split {
    #[stack(name = "SplitData")]
    pub fn data() {
        let results = resource!(Bucket {
            name: "split-results-{suffix}",
            removal: Destroy,
            auto_delete_objects: true,
            encryption: S3Managed,
            block_public_access: true,
            enforce_tls: true,
            expire_after_days: 30,
        });
    }

    #[stack(name = "SplitWorkers")]
    pub fn workers() {
        let orders = component!(worker_components::queue_worker {
            name: "split-orders",
            code: Dir("../../../ui/fixtures/lambda"),
            results: data::results,
        });
    }
}
