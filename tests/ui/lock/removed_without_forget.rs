// The production orders table's declaration deleted. Its lock lists it, so the build stops:
// CloudFormation would remove the table from the stack and leave it in the account with no
// word in the code about it. Say so with `tap::forget!("Orders", reason = "..")`.
use tap::prelude::*;

#[stack(name = "Orders", lifecycles = [Durable], durable_suffixes = ["prod"])]
pub fn orders() {
    let jobs = resource!(Queue { name: "order-jobs-{suffix}", encryption: SqsManaged });
    resource!(Output { name: "OrderJobsUrl", value: jobs.url });
}

fn main() {}
