//! Writes the stack's template on every `cargo build`.

#[path = "src/stack.rs"]
mod stack;

fn main() {
    println!("cargo:rerun-if-changed=src/stack.rs");
    let template = stack::sqs_worker().synth().unwrap_or_else(|findings| {
        eprintln!("{findings}");
        std::process::exit(1)
    });
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out.ancestors().nth(4).expect("OUT_DIR is inside the target directory").join("tap/SqsWorker/template.json");
    template.write(&path).expect("write template.json");
    println!("cargo:rustc-env=TAP_TEMPLATE={}", path.display());
}
