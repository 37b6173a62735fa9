// A report endpoint whose function may run two minutes, behind an HTTP API that waits 30
// seconds at most: API Gateway answers 503 while the function goes on, and the client
// retries into a second run.
use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let report = resource!(Function {
        name: "reports-render-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 120,
    });
    resource!(LogGroup { function: report, retention_days: 14, removal: Destroy });
    let api = resource!(Api {
        name: "reports-{suffix}",
        auth: Iam,
        routes: { "GET /reports/{id}": report },
    });
    resource!(Alarm { name: "reports-render-errors-{suffix}", on: report, metric: Errors, threshold: 1 });
    resource!(Output { name: "ReportsUrl", value: api.url });
    resource!(Output { name: "RenderFunctionName", value: report.name });
}

fn main() {}
