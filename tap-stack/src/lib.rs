//! The product-catalog pipeline: its stack (checked by `#[tap::stack]` at compile time) and
//! its inventory processor.

mod stack;

pub use stack::product_catalog;

/// Where `cargo build` wrote this stack's template.
pub const TEMPLATE_PATH: &str = env!("TAP_TEMPLATE");
