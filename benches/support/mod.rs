//! What the benchmarks share: scratch crates outside the workspace that depend on tap, and
//! milliseconds for the tables. (A directory module, so cargo does not take it for a bench.)

use std::path::{Path, PathBuf};
use std::time::Duration;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A crate outside the workspace depending on tap: `target/bench-stacks/<name>`, with this
/// workspace's lock file (same versions, no network). With `extra` dependency lines, tap
/// comes with its `runtime` and `aws` features.
pub fn crate_with(name: &str, extra: &str) -> PathBuf {
    let dir = Path::new(ROOT).join("target/bench-stacks").join(name);
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    let tap = if extra.is_empty() {
        format!("{{ package = \"tap-iac\", path = {ROOT:?} }}")
    } else {
        format!("{{ package = \"tap-iac\", path = {ROOT:?}, features = [\"runtime\", \"aws\"] }}")
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\ntap = {tap}\n{extra}"),
    )
    .unwrap();
    std::fs::copy(Path::new(ROOT).join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

/// `TAP_BENCH_SMOKE` set: tiny sizes and one run, so the test command can run every
/// benchmark and a benchmark that no longer runs fails there.
pub fn smoke() -> bool {
    std::env::var_os("TAP_BENCH_SMOKE").is_some()
}

/// The one target directory every scratch crate builds in, so their dependencies (tap, the
/// SDK) are compiled once for all of them.
pub fn target_dir() -> PathBuf {
    Path::new(ROOT).join("target/bench-stacks/target")
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
