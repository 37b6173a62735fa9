// A component's parameters are typed with tap's words (`Name`, `Text`, `Int`, `Bool`,
// `Code`, or a kind of resource): a Rust type is not something a stack can give.
use tap::prelude::*;

#[component]
pub fn queue_worker(name: String) {
    let jobs = resource!(Queue { name: "{name}-{suffix}", encryption: SqsManaged, removal: Destroy });
}

fn main() {}
