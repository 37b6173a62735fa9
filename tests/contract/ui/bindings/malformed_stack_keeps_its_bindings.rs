// A typo in the stack is one error, on the typo: the function's `Env` is still generated
// (from what the stack says, as far as it goes), so the code that reads it adds nothing.
use tap::prelude::*;

#[stack(name = "Worker")]
pub fn worker_stack() {
    let jobs = resource!(Queue { name: "jobs-{suffix}", encryption: SqsManaged, removel: Destroy });
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
    println!("queue {}", *env.jobs_queue_url);
}
