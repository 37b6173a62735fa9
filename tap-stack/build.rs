//! Writes the product-catalog template on every `cargo build`:
//! `<target dir>/tap/ProductCatalog/template.json` (see the README).

#[path = "src/stack.rs"]
mod stack;

fn main() {
    println!("cargo:rerun-if-changed=src/stack.rs");
    println!("cargo:rerun-if-changed=sql/schema.sql");
    let template = match stack::product_catalog().synth() {
        Ok(t) => t,
        Err(findings) => {
            // Unreachable for a stack that compiled; kept as a hard stop, not a silent skip.
            eprintln!("{findings}");
            std::process::exit(1);
        }
    };
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out: the template goes beside the
    // profiles, where it does not move with the hash.
    let target = out.ancestors().nth(4).expect("OUT_DIR is inside the target directory");
    let path = target.join("tap").join("ProductCatalog").join("template.json");
    template.write(&path).expect("write template.json");
    println!("cargo:rustc-env=TAP_TEMPLATE={}", path.display());
}
