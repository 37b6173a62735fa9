//! Writes the product-catalog templates on every `cargo build`, one per lifecycle, each
//! with its delete plan: `<target dir>/tap/ProductCatalog/{ephemeral,durable}/` (see the
//! README).

#[path = "src/stack.rs"]
mod stack;

fn main() {
    tap::build::emit(stack::product_catalog(), &["src/stack.rs", "sql/schema.sql"]);
}
