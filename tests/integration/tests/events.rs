//! The reports stack (`stacks/events.rs`): raw CloudFormation resources (an EventBridge
//! rule, an HTTP API, Lambda permissions) beside tap's kinds, from the DSL to a template
//! that passes cfn-lint and the registry schemas.

#[path = "stacks/events.rs"]
mod stack;

#[test]
fn raw_resources_synthesise_and_pass_cfn_lint() {
    let template = stack::reports().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("reports_template", json);
    tap_integration_tests::lint("reports", &json);
    let (checked, problems, _) = tap_integration_tests::registry_problems(&template.0);
    assert!(checked > 10 && problems.is_empty(), "{checked} resources checked against the registry:\n{}", problems.join("\n"));
}
