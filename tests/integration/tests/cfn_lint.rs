//! Every template tap writes passes cfn-lint with no errors and no warnings.
//! cfn-lint comes from PyPI (see requirements-dev.txt at the repository root); the test fails, not skips, without it.

use tap_integration_tests::lint;

#[test]
fn product_catalog_templates_pass_cfn_lint() {
    for (lifecycle, template, _) in tap_stack::product_catalog().synth_all().unwrap() {
        lint(&format!("product-catalog-{}", lifecycle.dir()), &template.to_json());
    }
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
