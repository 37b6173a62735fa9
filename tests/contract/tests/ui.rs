//! The handler half of the teaching suite: the seed's Lambda handler mistakes (12, 13, 20)
//! written against tap's runtime contract, each failing to compile with the `.stderr`
//! beside it. Pinned to rustc 1.95 like the stack suite; regenerate with
//! `TRYBUILD=overwrite cargo test -p tap-contract-tests` and review the diff.

#[rustversion::all(stable, since(1.95), before(1.96))]
#[test]
fn ui() {
    // Compiled by rustc alone, as a user's crate is (the test command lints the workspace
    // by running clippy as its compiler).
    std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");
    trybuild::TestCases::new().compile_fail("ui/*/*.rs");
}

#[rustversion::not(all(stable, since(1.95), before(1.96)))]
#[test]
fn ui() {
    panic!("the compile-fail .stderr files are pinned to rustc 1.95; run the suite with it, or regenerate them with TRYBUILD=overwrite and review the diff");
}
