//! The teaching suite: every case under `tests/ui/<area>/` is a stack that repeats one
//! documented mistake (or is malformed) and must fail to compile with the `.stderr` beside
//! it. Regenerate with `TRYBUILD=overwrite cargo test --test ui` after reading the diff.
//!
//! The `.stderr` files are pinned to the toolchain they were written with (rustc 1.95);
//! on any other compiler this test says so and fails rather than silently passing.

#[rustversion::all(stable, since(1.95), before(1.96))]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}

#[rustversion::not(all(stable, since(1.95), before(1.96)))]
#[test]
fn ui() {
    panic!("the compile-fail .stderr files are pinned to rustc 1.95; run the suite with it, or regenerate them with TRYBUILD=overwrite and review the diff");
}
