//! The inventory update a producer puts on the stream, and what makes one valid.

use serde::{Deserialize, Serialize};

/// One update: `{"product_id": "sku-123", "inventory": 42}`.
///
/// Unknown fields are rejected, not ignored: a producer sending fields this processor
/// would silently drop has drifted from the contract, and its records are quarantined
/// (with the reason) until someone decides; nothing is lost.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InventoryUpdate {
    pub product_id: String,
    pub inventory: i64,
}

pub const MAX_PRODUCT_ID: usize = 64;

impl tap::runtime::Typed for InventoryUpdate {
    fn validate(&self) -> Result<(), String> {
        let id = &self.product_id;
        if id.is_empty() || id.len() > MAX_PRODUCT_ID {
            return Err(format!("product_id must be 1 to {MAX_PRODUCT_ID} characters, got {}", id.len()));
        }
        if let Some(c) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
            return Err(format!("product_id contains {c:?}; allowed: letters, digits, '-', '_', '.'"));
        }
        if self.inventory < 0 {
            return Err(format!("inventory must be >= 0, got {}", self.inventory));
        }
        Ok(())
    }
}

/// The Redis key that caches a product.
pub fn cache_key(product_id: &str) -> String {
    format!("product:{product_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tap::runtime::Typed;

    #[test]
    fn validates_bounds() {
        let ok = InventoryUpdate { product_id: "sku-1".into(), inventory: 0 };
        assert!(ok.validate().is_ok());
        assert!(InventoryUpdate { product_id: "".into(), ..ok.clone() }.validate().is_err());
        assert!(InventoryUpdate { product_id: "x".repeat(65), ..ok.clone() }.validate().is_err());
        assert!(InventoryUpdate { product_id: "a b".into(), ..ok.clone() }.validate().is_err());
        assert!(InventoryUpdate { inventory: -1, ..ok.clone() }.validate().is_err());
        assert!(serde_json::from_str::<InventoryUpdate>(r#"{"product_id":"a","inventory":1,"x":2}"#).is_err());
        assert!(serde_json::from_str::<InventoryUpdate>(r#"{"product_id":"a","inventory":1.5}"#).is_err());
    }
}
