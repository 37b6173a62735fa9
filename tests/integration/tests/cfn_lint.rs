//! Every template tap writes passes cfn-lint with no errors and no warnings.
//! cfn-lint comes from PyPI (see requirements-dev.txt at the repository root); the test fails, not skips, without it.

use std::process::Command;

fn cfn_lint() -> String {
    std::env::var("CFN_LINT").unwrap_or_else(|_| "cfn-lint".to_owned())
}

fn lint(name: &str, json: &str) {
    let dir = std::env::temp_dir().join(format!("tap-cfn-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, json).unwrap();
    let out = Command::new(cfn_lint())
        .arg("--format")
        .arg("parseable")
        .arg("--")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run cfn-lint ({e}); install it with `scripts/test` (or `pip install -r requirements-dev.txt`)"));
    let report = String::from_utf8_lossy(&out.stdout);
    // Exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 8, "cfn-lint on {name} exited {code}:\n{report}{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn product_catalog_template_passes_cfn_lint() {
    let template = tap_stack::product_catalog().synth().unwrap();
    lint("product-catalog", &template.to_json());
}

#[test]
fn example_template_passes_cfn_lint_and_is_what_build_wrote() {
    let template = sqs_worker::sqs_worker().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    assert_eq!(std::fs::read_to_string(sqs_worker::TEMPLATE_PATH).unwrap(), json);
    let mapping = &template.0["Resources"]["WorkerFromJobs"]["Properties"];
    assert_eq!(mapping["FunctionResponseTypes"][0], "ReportBatchItemFailures");
    assert!(template.0["Resources"]["Jobs"]["Properties"]["RedrivePolicy"].is_object());
    lint("sqs-worker", &json);
}
