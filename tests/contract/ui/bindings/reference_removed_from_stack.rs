// The function's configuration is generated from the stack: when the stack stops binding
// the archive bucket (its `ARCHIVE_BUCKET` entry and grant are removed), code that still
// reads it no longer compiles, instead of failing at cold start in production.
use tap::prelude::*;

#[stack(name = "Worker")]
pub fn worker_stack() {
    let jobs = resource!(Queue { name: "jobs-{suffix}", encryption: SqsManaged, removal: Destroy });
    let worker = resource!(Function {
        name: "worker-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { JOBS_QUEUE_URL: jobs.url },
        grants: [jobs.send],
    });
    resource!(LogGroup { function: worker, retention_days: 7, removal: Destroy });
    resource!(Output { name: "JobsQueueUrl", value: jobs.url });
    resource!(Output { name: "WorkerFunctionName", value: worker.name });
}

fn main() {
    let env = worker_stack::worker::Env::from_env().expect("bound at cold start");
    println!("queue {} archive {}", *env.jobs_queue_url, *env.archive_bucket);
}
