// The function sends to the quarantine queue but was granted `consume` (receive and
// delete): the wrong half of the queue's access, which would fail with AccessDenied on
// the first rejected record. `send_message` needs the `send` grant.
use tap::prelude::*;

#[stack(name = "Quarantine")]
pub fn quarantine() {
    let quarantine = resource!(Queue { name: "quarantine-{suffix}", encryption: SqsManaged, removal: Destroy });
    let checker = resource!(Function {
        name: "checker-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { QUARANTINE_QUEUE_URL: quarantine.url },
        grants: [quarantine.consume],
    });
    resource!(LogGroup { function: checker, retention_days: 7, removal: Destroy });
    resource!(Output { name: "QuarantineQueueUrl", value: quarantine.url });
    resource!(Output { name: "CheckerFunctionName", value: checker.name });
}

async fn reject(handles: &quarantine::checker::Handles, reason: &str) {
    let _ = handles.quarantine.send_message().message_body(reason).send().await;
}

fn main() {
    let _ = reject;
}
