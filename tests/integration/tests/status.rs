//! The status stack (`stacks/status.rs`): a bucket open to anyone on purpose, acknowledged
//! on the resource with its reason. It compiles only with the acknowledgement (the case
//! without it is `tests/ui/public/bucket_public_read_not_acknowledged.rs`), and the
//! template records the acknowledgement where it is deployed.

#[path = "stacks/status.rs"]
mod stack;

use serde_json::json;

#[test]
fn the_acknowledgement_is_recorded_in_the_template_and_the_opening_is_exactly_the_keys() {
    let template = stack::status().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("status_template", json);
    tap_integration_tests::lint("status", &json);
    tap_integration_tests::assert_matches_registry("status", &template.0);
    let r = &template.0["Resources"];
    assert_eq!(
        r["Page"]["Metadata"][tap::synth::ACKNOWLEDGED],
        json!([{
            "rule": "TAP-PUBLIC-001",
            "at": "public_read",
            "reason": "customers read the status page during an outage, when they cannot sign in to anything",
        }])
    );
    // Reads of `status/*` only, over TLS only; ACLs stay blocked.
    let statements = &r["PagePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Principal"], "*");
    assert_eq!(statements[0]["Action"], "s3:GetObject");
    assert_eq!(
        statements[0]["Resource"],
        json!({ "Fn::Join": ["", [{ "Fn::GetAtt": ["Page", "Arn"] }, "/status/*"]] })
    );
    assert_eq!(statements[1]["Effect"], "Deny");
    let block = &r["Page"]["Properties"]["PublicAccessBlockConfiguration"];
    assert_eq!(block["BlockPublicAcls"], true);
    assert_eq!(block["BlockPublicPolicy"], false);
    // The function URL's two raw resources carry theirs, and nothing else carries one.
    let rules = |id: &str| -> Vec<&str> {
        r[id]["Metadata"][tap::synth::ACKNOWLEDGED]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["rule"].as_str().unwrap())
            .collect()
    };
    assert_eq!(rules("IncidentsUrl"), ["TAP-PUBLIC-002"]);
    assert_eq!(rules("LambdaPermissionIncidents"), ["TAP-PUBLIC-001", "TAP-PUBLIC-002"]);
    assert_eq!(r["IncidentsUrl"]["Metadata"]["checkov"]["skip"][0]["id"], "CKV_AWS_258");
    let marked: Vec<&String> = r
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v["Metadata"].get(tap::synth::ACKNOWLEDGED).is_some())
        .map(|(k, _)| k)
        .collect();
    assert_eq!(marked, ["Page", "IncidentsUrl", "LambdaPermissionIncidents"]);
}

/// The same stack through the plain API: the acknowledgement is a builder call, judged alike.
#[test]
fn an_acknowledgement_is_judged_the_same_through_the_plain_api() {
    let mut built = stack::status();
    built.resources[0].expects.clear();
    let err = built.synth().unwrap_err();
    assert_eq!(err.ids(), ["TAP-PUBLIC-001"], "{err}");
    let private = {
        let mut s = stack::status();
        s.resources[0].remove("public_read");
        s.resources[0].set("block_public_access", tap::Value::Bool(true));
        s
    };
    let err = private.synth().unwrap_err();
    assert_eq!(err.ids(), ["TAP-ACK-003"], "an acknowledgement no finding needs: {err}");
}

/// The exception is seen where a reviewer reads the stack: the delete plan beside the
/// template and the diagram.
#[test]
fn the_delete_plan_and_the_diagram_show_the_exception() {
    let (_, _, plan) = stack::status().synth_all().unwrap().remove(0);
    let page = plan.entries.iter().find(|e| e.logical_id == "Page").unwrap();
    assert_eq!(
        page.acknowledged,
        ["TAP-PUBLIC-001 (public_read): customers read the status page during an outage, when they cannot sign in to anything"]
    );
    assert!(plan.to_markdown().contains("## Exceptions acknowledged on purpose"), "{}", plan.to_markdown());
    let outcome = tap::check_all(&stack::status());
    let graph = tap::graph::graph(outcome.checked.as_ref().unwrap(), &outcome.acknowledged);
    assert!(graph.to_mermaid().contains("(acknowledged: TAP-PUBLIC-001)"), "{}", graph.to_mermaid());
}
