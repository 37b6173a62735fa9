//! The webhooks stack (`stacks/webhooks.rs`): an HTTP API, a queue worker and a nightly
//! schedule with no raw resource, from the DSL to a template that passes cfn-lint and
//! matches the registry schemas (checkov runs on it in `checkov.rs`).

#[path = "stacks/webhooks.rs"]
mod stack;

use serde_json::{json, Value as Json};

#[test]
fn webhooks_template_matches_snapshot_and_passes_cfn_lint() {
    let template = stack::webhooks().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("webhooks_template", json);
    tap_integration_tests::lint("webhooks", &json);
    let checked = tap_integration_tests::assert_matches_registry("webhooks", &template.0);
    assert!(checked > 20, "{checked} resources checked against the registry");
    let built = stack::webhooks();
    let raw: Vec<&str> = built.resources.iter().map(|r| r.kind.as_str()).filter(|k| k.contains("::")).collect();
    assert!(raw.is_empty(), "raw resources in a stack meant to need none: {raw:?}");
}

/// Each route: its integration waits the API's timeout, its authorization is the API's
/// (or none, for the route written `Open`), and its permission lets the API invoke the
/// function for that method and path only. Access logs go to a log group of the stack's.
#[test]
fn each_route_is_wired_authorized_and_scoped() {
    let t = stack::webhooks().synth().unwrap().0;
    let r = &t["Resources"];
    let route = |id: &str| r[format!("Api{id}Route")]["Properties"].clone();
    assert_eq!(route("PostWebhooksSource")["RouteKey"], "POST /webhooks/{source}");
    assert_eq!(route("PostWebhooksSource")["AuthorizationType"], "NONE");
    assert_eq!(route("GetExportsLatest")["AuthorizationType"], "AWS_IAM");
    assert_eq!(
        route("GetExportsLatest")["Target"],
        json!({ "Fn::Join": ["/", ["integrations", { "Ref": "ApiGetExportsLatestIntegration" }]] })
    );
    let integration = &r["ApiPostWebhooksSourceIntegration"]["Properties"];
    assert_eq!(integration["IntegrationUri"], json!({ "Fn::GetAtt": ["Ingest", "Arn"] }));
    assert_eq!(integration["TimeoutInMillis"], 29000);
    let permission = &r["ApiPostWebhooksSourcePermission"]["Properties"];
    assert_eq!(permission["Principal"], "apigateway.amazonaws.com");
    assert_eq!(permission["FunctionName"], json!({ "Fn::GetAtt": ["Ingest", "Arn"] }));
    assert_eq!(
        permission["SourceArn"],
        json!({ "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/POST/webhooks/*" })
    );
    let stage = &r["ApiStage"]["Properties"];
    assert_eq!(stage["AccessLogSettings"]["DestinationArn"], json!({ "Fn::GetAtt": ["ApiAccessLogs", "Arn"] }));
    let format: Json = serde_json::from_str(stage["AccessLogSettings"]["Format"].as_str().unwrap()).unwrap();
    assert_eq!(format["status"], "$context.status");
    assert_eq!(stage["DefaultRouteSettings"], json!({ "ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100 }));
    assert_eq!(r["ApiAccessLogs"]["Properties"]["RetentionInDays"], 30);
    // One permission per route, none written by hand.
    let permissions = r.as_object().unwrap().values().filter(|x| x["Type"] == "AWS::Lambda::Permission").count();
    assert_eq!(permissions, 2);
}
