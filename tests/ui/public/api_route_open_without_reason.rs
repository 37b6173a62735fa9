// An HTTP API with no `auth`: API Gateway's default lets anyone on the internet call every
// route. A route that must be open says why, `Open(ingest, "..")`; this one does not.
use tap::prelude::*;

#[stack(name = "Webhooks")]
pub fn webhooks() {
    let ingest = resource!(Function {
        name: "webhook-ingest-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 10,
    });
    resource!(LogGroup { function: ingest, retention_days: 14, removal: Destroy });
    let api = resource!(Api {
        name: "webhooks-{suffix}",
        routes: { "POST /webhooks/{source}": ingest },
    });
    resource!(Alarm { name: "webhook-ingest-errors-{suffix}", on: ingest, metric: Errors, threshold: 1 });
    resource!(Output { name: "WebhooksUrl", value: api.url });
    resource!(Output { name: "IngestFunctionName", value: ingest.name });
}

fn main() {}
