// A function someone else owns cannot be an `Existing` resource: only the kinds whose
// attributes follow from one identifier (buckets, queues, secrets, streams, tables, topics,
// VPCs) can.
use tap::prelude::*;

#[stack(name = "Notifier")]
pub fn notifier() {
    let alerts = resource!(Existing { kind: Function, from: Parameter("AlertsFunctionArn") });
}

fn main() {}
