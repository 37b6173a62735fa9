//! The teaching suite: every case under `tests/ui/<area>/` is a stack that repeats one
//! documented mistake (or is malformed) and must fail to compile with the `.stderr` beside
//! it. Regenerate with `TRYBUILD=overwrite cargo test --test ui` after reading the diff.
//!
//! The `.stderr` files are pinned to the toolchain they were written with (rustc 1.95);
//! on any other compiler this test says so and fails rather than silently passing.

#[rustversion::all(stable, since(1.95), before(1.96))]
#[test]
fn ui() {
    // The test command lints the workspace by running clippy as its compiler; the cases
    // are compiled as a user's crate is, by rustc alone.
    std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}

#[rustversion::not(all(stable, since(1.95), before(1.96)))]
#[test]
fn ui() {
    panic!("the compile-fail .stderr files are pinned to rustc 1.95; run the suite with it, or regenerate them with TRYBUILD=overwrite and review the diff");
}

/// The seed's stack as written (`tests/ui/seed/product_catalog.rs`) shows every rule it
/// breaks in one `cargo check`: a malformed line does not hide the rules behind it.
#[test]
fn the_seed_shows_every_rule_it_breaks_in_one_pass() {
    let stderr = std::fs::read_to_string("tests/ui/seed/product_catalog.stderr").unwrap();
    let ids: Vec<&str> =
        stderr.lines().filter_map(|l| l.strip_prefix("error: ")).filter_map(|l| l.split(':').next()).collect();
    let mut rules: Vec<&str> = ids.iter().copied().filter(|id| !id.starts_with("TAP-DSL-")).collect();
    rules.sort_unstable();
    rules.dedup();
    assert!(rules.len() >= 15, "{} rule ids in one pass: {rules:?}", rules.len());
    assert!(ids.contains(&"TAP-DSL-002"), "the malformed `credentials` line is reported too: {ids:?}");
    assert_eq!(ids.len(), 43, "errors in one pass: {ids:?}");
}
