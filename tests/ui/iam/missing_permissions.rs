// Seed mistake 9: the role could only write to the archive; reading the stream, getting the
// secret and sending failed batches to the queue all fail with AccessDenied at run time.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let inventory_stream = resource!(Stream { name: "inventory-updates-{suffix}", shards: 2, encryption: Kms, removal: Destroy });
    let db_secret = resource!(Secret { name: "product-catalog-db-credentials-{suffix}", username: "postgres", removal: Destroy });
    let failure_queue = resource!(Queue { name: "inventory-failures-{suffix}", encryption: SqsManaged, removal: Destroy });
    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { DB_SECRET_ARN: db_secret.arn },
        grants: [],
    });
    resource!(LogGroup { function: processor, retention_days: 14, removal: Destroy });
    resource!(EventSource {
        stream: inventory_stream,
        target: processor,
        batch_size: 100,
        starting_position: TrimHorizon,
        retries: 3,
        bisect_on_error: true,
        max_record_age_seconds: 3600,
        on_failure: failure_queue,
        report_batch_item_failures: true,
    });
    resource!(Alarm { name: "inventory-processor-errors-{suffix}", on: processor, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "inventory-processor-iterator-age-{suffix}", on: processor, metric: IteratorAge, threshold: 60000 });
    resource!(Alarm { name: "inventory-failures-depth-{suffix}", on: failure_queue, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "InventoryStreamName", value: inventory_stream.name });
    resource!(Output { name: "DbSecretArn", value: db_secret.arn });
    resource!(Output { name: "FailureQueueUrl", value: failure_queue.url });
    resource!(Output { name: "ProcessorFunctionName", value: processor.name });
}

fn main() {}
