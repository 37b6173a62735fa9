// Seed mistake 13: the handler has no error path (no try/except, returns statusCode 200
// whatever happens), so a failing record is lost or the whole batch replays forever.
use tap::runtime::{process, BoxError, Record, RecordError, Sink, Typed, WireEvent, WireRecord};

#[derive(serde::Deserialize)]
struct InventoryUpdate {
    product_id: String,
    inventory: i64,
}

impl Typed for InventoryUpdate {
    fn validate(&self) -> Result<(), String> {
        if self.inventory < 0 { Err("negative inventory".into()) } else { Ok(()) }
    }
}

/// Quarantine and archive that keep nothing (the case is about the handler).
struct Nowhere;

impl Sink for Nowhere {
    async fn quarantine(&self, _: &WireRecord, _: &str) -> Result<(), BoxError> { Ok(()) }
    async fn archive(&self, _: &[WireRecord]) -> Result<(), BoxError> { Ok(()) }
}

async fn handler(record: Record<InventoryUpdate>) {
    println!("{} -> {}", record.data.product_id, record.data.inventory);
}

async fn invoke(event: WireEvent) {
    let _ = RecordError::Reject(String::new());
    process(&event, &handler, &Nowhere, 1).await;
}

fn main() {}
