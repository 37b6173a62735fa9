// A route key is a method and a path, as API Gateway reads it: "POST /orders". Written
// the other way round, CloudFormation would take the template and the deployment fail.
use tap::prelude::*;

#[stack(name = "Orders")]
pub fn orders() {
    let writer = resource!(Function {
        name: "orders-writer-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 10,
    });
    resource!(LogGroup { function: writer, retention_days: 14, removal: Destroy });
    let api = resource!(Api {
        name: "orders-{suffix}",
        auth: Iam,
        routes: { "/orders POST": writer },
    });
    resource!(Alarm { name: "orders-writer-errors-{suffix}", on: writer, metric: Errors, threshold: 1 });
    resource!(Output { name: "OrdersUrl", value: api.url });
    resource!(Output { name: "WriterFunctionName", value: writer.name });
}

fn main() {}
