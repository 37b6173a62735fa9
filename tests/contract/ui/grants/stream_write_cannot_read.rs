// A producer granted `events.write` also reads the stream back: reading needs the
// `read` grant (GetShardIterator, GetRecords, ...), which a producer should not hold.
use tap::prelude::*;

#[stack(name = "Producer")]
pub fn producer() {
    let events = resource!(Stream { name: "events-{suffix}", shards: 1, encryption: Kms, removal: Destroy });
    let ingest = resource!(Function {
        name: "ingest-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { EVENTS_STREAM: events.name },
        grants: [events.write],
    });
    resource!(LogGroup { function: ingest, retention_days: 7, removal: Destroy });
    resource!(Output { name: "EventsStreamName", value: events.name });
    resource!(Output { name: "IngestFunctionName", value: ingest.name });
}

async fn replay(handles: &producer::ingest::Handles, iterator: String) {
    let _ = handles.events.get_records().shard_iterator(iterator).send().await;
}

fn main() {
    let _ = replay;
}
