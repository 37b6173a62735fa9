//! The product-catalog pipeline: its stack (checked by `#[tap::stack]` at compile time),
//! the typed bindings the stack generates (`product_catalog::processor::Env`), and the
//! inventory processor that reads its configuration only through them.

mod stack;

pub mod processor;

pub use stack::product_catalog;

/// Where `cargo build` wrote this stack's ephemeral template.
pub const TEMPLATE_PATH: &str = env!("TAP_TEMPLATE");
/// Where `cargo build` wrote this stack's templates and delete plans: one directory per
/// lifecycle (`ephemeral/`, `durable/`).
pub const TEMPLATE_DIR: &str = env!("TAP_TEMPLATE_DIR");
