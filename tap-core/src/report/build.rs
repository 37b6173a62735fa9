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

/// Checks and synthesises `stack` and, for each lifecycle it supports, writes
/// `<target dir>/tap/<stack name>/<lifecycle>/template.json` and, beside it, the delete
/// plan (`delete-plan.md`, `delete-plan.json`); files are only rewritten when their bytes
/// change. Tells cargo to re-run when any of `sources` changes, and sets `TAP_TEMPLATE`
/// (the first lifecycle's template) and `TAP_TEMPLATE_DIR` (`<target dir>/tap/<stack
/// name>`) for the crate. A stack that fails a rule stops the build with the findings.
pub fn emit(stack: Stack, sources: &[&str]) -> PathBuf {
    for s in sources {
        println!("cargo:rerun-if-changed={s}");
    }
    let (path, dir, _) = emit_one(&stack);
    println!("cargo:rustc-env=TAP_TEMPLATE={}", path.display());
    println!("cargo:rustc-env=TAP_TEMPLATE_DIR={}", dir.display());
    path
}

/// [`emit`] for the stacks of one app (`my_app::stacks()` of a `#[tap::app]` module): each
/// stack's files under `<target dir>/tap/<stack name>/`, its `stack.json` naming the stacks
/// it imports from, and the app's diagram, `<target dir>/tap/<package>.app.{mmd,dot}` (what
/// `cargo tap graph` shows for the app). Returns each stack's first template.
pub fn emit_app(stacks: Vec<Stack>, sources: &[&str]) -> Vec<PathBuf> {
    for s in sources {
        println!("cargo:rerun-if-changed={s}");
    }
    let done: Vec<(PathBuf, PathBuf, crate::Synthesis)> = stacks.iter().map(emit_one).collect();
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    let parts: Vec<(&crate::Checked, &[crate::Acknowledged])> =
        done.iter().map(|(_, _, s)| (&s.checked, s.acknowledged.as_slice())).collect();
    let graph = super::graph::app(&package, &parts);
    let tap_dir = template_dir();
    for (ext, text) in [("mmd", graph.to_mermaid()), ("dot", graph.to_dot())] {
        let path = app_graph_path(&tap_dir, &package, ext);
        crate::write_if_changed(&path, text.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    done.into_iter().map(|(path, _, _)| path).collect()
}

/// Where [`emit_app`] writes the diagram of `package`'s app, in format `ext` (`mmd`, `dot`).
pub fn app_graph_path(tap_dir: &std::path::Path, package: &str, ext: &str) -> PathBuf {
    tap_dir.join(format!("{package}.app.{ext}"))
}

/// Writes one stack's files; returns its first template, its directory and what was
/// synthesised. A stack that fails a rule stops the build with the findings.
fn emit_one(stack: &Stack) -> (PathBuf, PathBuf, crate::Synthesis) {
    let synthesis = match crate::synth_checked(stack) {
        Ok(done) => done,
        Err(findings) => {
            eprintln!("{findings}");
            std::process::exit(1);
        }
    };
    let crate::Synthesis { checked, acknowledged, all } = &synthesis;
    // A raw resource's value against a pattern Rust's regex does not compile was not
    // checked: said, never silently passed.
    for node in &checked.nodes {
        if let crate::kinds::Res::Raw(raw) = &node.res {
            for note in &raw.unchecked {
                println!("cargo:warning=tap: {}: {note}", node.label);
            }
        }
    }
    let dir = template_dir().join(&stack.name);
    let write = |p: &std::path::Path, bytes: &[u8]| {
        crate::write_if_changed(p, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()))
    };
    let mut first = None;
    for (lifecycle, template, plan) in all {
        let here = dir.join(lifecycle.dir());
        let path = here.join("template.json");
        write(&path, template.to_json().as_bytes());
        write(&here.join("delete-plan.md"), plan.to_markdown().as_bytes());
        write(&here.join("delete-plan.json"), plan.to_json().as_bytes());
        first.get_or_insert(path);
    }
    let graph = super::graph::graph(checked, acknowledged);
    write(&dir.join("graph.mmd"), graph.to_mermaid().as_bytes());
    write(&dir.join("graph.dot"), graph.to_dot().as_bytes());
    let manifest = super::manifest::StackManifest::of(
        checked,
        std::env::var("CARGO_PKG_NAME").unwrap_or_default(),
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default(),
    );
    write(&dir.join("stack.json"), manifest.to_json().as_bytes());
    // Which stacks this run of the package's build script writes: a renamed stack's old
    // directory is then known to be stale.
    let tap_dir = template_dir();
    let list_path = super::manifest::EmittedStacks::path(&tap_dir, &manifest.package);
    let previous = std::fs::read_to_string(&list_path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let run = format!("{}:{}", std::process::id(), std::env::var("OUT_DIR").unwrap_or_default());
    let list = super::manifest::EmittedStacks::with(previous, &run, &stack.name);
    if let Some(parent) = list_path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    write(&list_path, (serde_json::to_string_pretty(&list).expect("a list always serialises") + "\n").as_bytes());
    let path = first.expect("a checked stack supports at least one lifecycle");
    (path, dir, synthesis)
}

/// `<target dir>/tap`. OUT_DIR is `<target>/<profile>/build/<pkg>-<hash>/out`; the
/// templates go beside the profiles, where they do not move with the hash or the profile.
pub fn template_dir() -> PathBuf {
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("tap::build::emit runs in a build script (cargo sets OUT_DIR)"));
    out.ancestors().nth(4).expect("OUT_DIR is inside the target directory").join("tap")
}
