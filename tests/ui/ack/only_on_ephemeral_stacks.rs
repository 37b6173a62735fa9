// A preview environment can go without alarms; production cannot. TAP-OBS-001 can be
// acknowledged only on a stack whose deployments are all ephemeral, so on a stack that
// also deploys to production the acknowledgement is refused and the finding stays.
use tap::prelude::*;

#[stack(name = "Jobs", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]
pub fn jobs() {
    let jobs = resource!(Queue { name: "jobs-{suffix}", encryption: SqsManaged, dead_letter: failed });
    let failed = resource!(Queue { name: "jobs-failed-{suffix}", encryption: SqsManaged });
    #[tap::expect("TAP-OBS-001", reason = "nobody is paged for this worker: the queue is drained by hand")]
    let worker = resource!(Function {
        name: "jobs-worker-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        grants: [jobs.consume],
    });
    resource!(EventSource { target: worker, queue: jobs, batch_size: 10, report_batch_item_failures: true });
    resource!(LogGroup { function: worker, retention_days: 14 });
    resource!(Alarm { name: "jobs-failed-depth-{suffix}", on: failed, metric: QueueDepth, threshold: 1 });
}

fn main() {}
