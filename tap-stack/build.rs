//! Writes the product-catalog template on every `cargo build`:
//! `<target dir>/tap/ProductCatalog/template.json` (see the README).

#[path = "src/stack.rs"]
mod stack;

fn main() {
    tap::build::emit(stack::product_catalog(), &["src/stack.rs", "sql/schema.sql"]);
}
