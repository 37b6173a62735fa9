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

/// The data tap checks stacks against (IAM actions, engine versions, instance classes,
/// node types, runtime lifecycles) is what `scripts/gen-cfn-data` writes from the pinned
/// cfn-lint: re-running it changes nothing.
#[test]
fn the_service_data_is_generated_from_the_pinned_cfn_lint() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = std::env::temp_dir().join(format!("tap-cfn-data-{}", std::process::id()));
    let vars = tap_integration_tests::services_env();
    let mut cmd = std::process::Command::new(format!("{root}/scripts/gen-cfn-data"));
    if let Some(python) = vars.get("TAP_PYTHON") {
        cmd.env("TAP_PYTHON", python);
    }
    let status = cmd.arg(&out).status().expect("scripts/gen-cfn-data runs");
    assert!(status.success());
    for file in ["iam-actions.txt", "services.txt", "schemas.tsv"] {
        let fresh = std::fs::read_to_string(out.join(file)).unwrap();
        let checked_in = std::fs::read_to_string(format!("{root}/tap-core/data/{file}")).unwrap();
        assert!(fresh == checked_in, "tap-core/data/{file} is stale: run scripts/gen-cfn-data and commit it");
    }
}

/// Every resource tap synthesises matches its type's registry schema as tap-core reads it
/// (`tap::aws_data::registry`): the same check raw resources will get, run on tap's own output.
#[test]
fn every_emitted_resource_matches_its_registry_schema() {
    let mut templates: Vec<(String, serde_json::Value)> = tap_stack::product_catalog()
        .synth_all()
        .unwrap()
        .into_iter()
        .map(|(l, t, _)| (format!("product-catalog {}", l.dir()), t.0))
        .collect();
    templates.push(("sqs-worker".into(), sqs_worker::sqs_worker().synth().unwrap().0));
    let checked: usize =
        templates.iter().map(|(name, t)| tap_integration_tests::assert_matches_registry(name, t)).sum();
    assert!(checked > 60, "{checked} resources");
}
