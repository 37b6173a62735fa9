#[test]
fn ui_tmp() {
    std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");
    std::env::set_var("TAP_LOCKED", "1");
    let t = trybuild::TestCases::new();
    t.compile_fail(std::env::var("UI_GLOB").unwrap());
}
