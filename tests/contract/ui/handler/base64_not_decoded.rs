// Seed mistake 20: `json.loads(record['kinesis']['data'])` on the raw record data, which is
// base64 text. In tap a handler receives decoded, typed records; asking for raw text does
// not type-check.
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

async fn handler(record: Record<String>) -> Result<(), RecordError> {
    let payload: serde_json::Value = serde_json::from_str(&record.data).map_err(|e| RecordError::Reject(e.to_string()))?;
    println!("{payload}");
    Ok(())
}

async fn invoke(event: WireEvent) {
    let _ = InventoryUpdate { product_id: String::new(), inventory: 0 }.validate();
    process(&event, &handler, &Nowhere, 1).await;
}

fn main() {}
