//! Components: the example crate's queue worker (`examples/worker-components`), used twice in
//! one stack of its own crate and once from this crate, expands to exactly what is written
//! by hand, passes cfn-lint, and gives each instance's function its typed `Env`.

#[path = "stacks/components.rs"]
mod stacks;

#[test]
fn a_component_used_from_another_crate_is_the_hand_written_template() {
    let with = stacks::with_component().synth().unwrap_or_else(|f| panic!("{f}"));
    let by_hand = stacks::by_hand().synth().unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(with.to_json(), by_hand.to_json());
    tap_integration_tests::lint("orders-worker", &with.to_json());
}

#[test]
fn two_instances_in_one_stack_are_apart_and_each_function_has_its_env() {
    let template = worker_components::workers().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("workers_template", json);
    tap_integration_tests::lint("workers", &json);
    tap_integration_tests::assert_matches_registry("workers", &template.0);
    let resources = template.0["Resources"].as_object().unwrap();
    for id in
        ["OrdersJobs", "OrdersWorker", "OrdersDeadLetters", "InvoicesJobs", "InvoicesWorker", "InvoicesDeadLetters"]
    {
        assert!(resources.contains_key(id), "no {id}: {:?}", resources.keys().collect::<Vec<_>>());
    }
    assert_eq!(resources["InvoicesJobs"]["Properties"]["QueueName"]["Fn::Sub"], "invoices-${EnvironmentSuffix}");
    // Each instance's function has its own generated configuration, under the instance's name.
    let lookup = |var: &str| Some(format!("value of {var}"));
    let env = worker_components::workers::invoices_worker::Env::from_lookup(&lookup).unwrap();
    assert_eq!(env.results_bucket.as_str(), "value of RESULTS_BUCKET");
}

#[test]
fn a_component_in_an_app_takes_another_stacks_resource() {
    let stacks = stacks::split::stacks();
    assert_eq!(stacks[1].depends_on, ["SplitData"]);
    let workers = stacks[1].synth().unwrap_or_else(|f| panic!("{f}"));
    tap_integration_tests::lint("split-workers", &workers.to_json());
    let env = &workers.0["Resources"]["OrdersWorker"]["Properties"]["Environment"]["Variables"];
    let bucket = &env["RESULTS_BUCKET"]["Fn::ImportValue"]["Fn::Sub"];
    assert_eq!(bucket, "SplitData-${EnvironmentSuffix}-ResultsName", "{env}");
}
