// A webhooks service with no raw resource: an HTTP API takes `POST /webhooks/{source}`
// from providers (open, with its reason: they cannot sign with AWS credentials, so the
// function checks each provider's signature) and `GET /exports/latest` from the team's own
// tools (IAM); `ingest` puts each delivery on a queue; `worker` stores it in a table and
// the raw body in a bucket; every night `exporter` queries the day's events through the
// table's `by_day` index (no scan) and writes them to the bucket.
// Included by the tests that snapshot, lint, scan and inspect its template.

use tap::prelude::*;

#[stack(name = "Webhooks")]
pub fn webhooks() {
    let deliveries_dlq = resource!(Queue {
        name: "webhook-deliveries-dlq-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });
    let deliveries = resource!(Queue {
        name: "webhook-deliveries-{suffix}",
        encryption: SqsManaged,
        visibility_timeout_seconds: 180,
        dead_letter: deliveries_dlq,
        max_receive_count: 5,
        removal: Destroy,
    });
    let export_failures = resource!(Queue {
        name: "webhook-export-failures-{suffix}",
        encryption: SqsManaged,
        retention_days: 14,
        removal: Destroy,
    });

    let events = resource!(Table {
        name: "webhook-events-{suffix}",
        partition_key: "source",
        sort_key: "received_at",
        indexes: { by_day: Global("day", "received_at") },
        encryption: Kms,
        point_in_time_recovery: false,
        deletion_protection: false,
        removal: Destroy,
    });
    let archive = resource!(Bucket {
        name: "webhook-archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 90,
    });

    let signing_key = resource!(Secret {
        name: "webhook-signing-key-{suffix}",
        provided: "the provider's signing secret, from its dashboard: aws secretsmanager put-secret-value",
        removal: Destroy,
    });

    let ingest = resource!(Function {
        name: "webhook-ingest-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 10,
        env: { DELIVERIES_QUEUE_URL: deliveries.url, SIGNING_KEY_ARN: signing_key.arn },
        grants: [deliveries.send, signing_key.read],
    });
    let worker = resource!(Function {
        name: "webhook-worker-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 30,
        env: { EVENTS_TABLE: events.name, ARCHIVE_BUCKET: archive.name },
        grants: [deliveries.consume, events.write, archive.write],
    });
    let exporter = resource!(Function {
        name: "webhook-exporter-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 25,
        env: { EVENTS_TABLE: events.name, ARCHIVE_BUCKET: archive.name },
        grants: [events.read, archive.read_write, export_failures.send],
        async_retries: 1,
        async_max_age_seconds: 3600,
        async_on_failure: export_failures,
    });

    let api = resource!(Api {
        name: "webhooks-{suffix}",
        auth: Iam,
        routes: {
            "POST /webhooks/{source}": Open(ingest, "providers cannot sign with AWS credentials; ingest checks each provider's HMAC signature before it enqueues"),
            "GET /exports/latest": exporter,
        },
        timeout_seconds: 29,
        throttle_rate: 50,
        throttle_burst: 100,
        access_log_days: 30,
    });

    resource!(EventSource { queue: deliveries, target: worker, batch_size: 10, report_batch_item_failures: true });
    resource!(Schedule {
        name: "webhook-export-{suffix}",
        expression: "cron(15 1 * * ? *)",
        target: exporter,
        retries: 3,
        max_event_age_seconds: 3600,
        dead_letter: export_failures,
    });

    resource!(LogGroup { function: ingest, retention_days: 30, removal: Destroy });
    resource!(LogGroup { function: worker, retention_days: 30, removal: Destroy });
    resource!(LogGroup { function: exporter, retention_days: 30, removal: Destroy });

    resource!(Alarm { name: "webhook-ingest-errors-{suffix}", on: ingest, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "webhook-worker-errors-{suffix}", on: worker, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "webhook-exporter-errors-{suffix}", on: exporter, metric: Errors, threshold: 1 });
    resource!(Alarm {
        name: "webhook-deliveries-dlq-depth-{suffix}",
        on: deliveries_dlq,
        metric: QueueDepth,
        threshold: 1
    });
    resource!(Alarm {
        name: "webhook-export-failures-depth-{suffix}",
        on: export_failures,
        metric: QueueDepth,
        threshold: 1
    });

    resource!(Output { name: "WebhooksUrl", value: api.url });
    resource!(Output { name: "DeliveriesQueueUrl", value: deliveries.url });
    resource!(Output { name: "DeliveriesDlqUrl", value: deliveries_dlq.url });
    resource!(Output { name: "ExportFailuresQueueUrl", value: export_failures.url });
    resource!(Output { name: "EventsTableName", value: events.name });
    resource!(Output { name: "ArchiveBucketName", value: archive.name });
    resource!(Output { name: "IngestFunctionName", value: ingest.name });
    resource!(Output { name: "WorkerFunctionName", value: worker.name });
    resource!(Output { name: "ExporterFunctionName", value: exporter.name });
}
