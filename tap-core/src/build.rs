//! For an app crate's `build.rs`: write a stack's template where `cargo build` users find it.
//!
//! ```ignore
//! // build.rs
//! #[path = "src/stack.rs"]
//! mod stack;
//! fn main() {
//!     tap::build::emit(stack::my_stack(), &["src/stack.rs"]);
//! }
//! ```

use std::path::PathBuf;

use crate::Stack;

/// Checks and synthesises `stack`, writes `<target dir>/tap/<stack name>/template.json`
/// (only when its bytes change), tells cargo to re-run when any of `sources` changes, and
/// sets `TAP_TEMPLATE` for the crate (`env!("TAP_TEMPLATE")` is the path). A stack that
/// fails a rule stops the build with the findings.
pub fn emit(stack: Stack, sources: &[&str]) -> PathBuf {
    for s in sources {
        println!("cargo:rerun-if-changed={s}");
    }
    let template = match stack.synth() {
        Ok(t) => t,
        Err(findings) => {
            eprintln!("{findings}");
            std::process::exit(1);
        }
    };
    let path = template_dir().join(&stack.name).join("template.json");
    template.write(&path).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!("cargo:rustc-env=TAP_TEMPLATE={}", path.display());
    path
}

/// `<target dir>/tap`. OUT_DIR is `<target>/<profile>/build/<pkg>-<hash>/out`; the
/// templates go beside the profiles, where they do not move with the hash or the profile.
pub fn template_dir() -> PathBuf {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("tap::build::emit runs in a build script (cargo sets OUT_DIR)"));
    out.ancestors().nth(4).expect("OUT_DIR is inside the target directory").join("tap")
}
