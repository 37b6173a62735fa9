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
    // The signing key is provided after deploy: the template holds a placeholder, which
    // CloudFormation writes at creation only.
    let key = &r["SigningKey"]["Properties"];
    assert_eq!(key["SecretString"], tap::kinds::secret::PLACEHOLDER);
    assert!(key.get("GenerateSecretString").is_none());
    assert!(tap::kinds::secret::Secret::is_placeholder(key["SecretString"].as_str().unwrap()));
    // One permission per route, none written by hand.
    let permissions = r.as_object().unwrap().values().filter(|x| x["Type"] == "AWS::Lambda::Permission").count();
    assert_eq!(permissions, 2);
}

/// The table's global index, as the template writes it, deployed on the emulator through
/// CloudFormation and queried through the exporter's typed handle (`Table<Read>`, whose
/// `read` grant covers `<table>/index/*`).
#[tokio::test]
async fn the_exporter_queries_the_days_events_through_the_index() {
    let t = stack::webhooks().synth().unwrap().0;
    let table = &t["Resources"]["Events"];
    assert_eq!(
        table["Properties"]["GlobalSecondaryIndexes"],
        json!([{ "IndexName": "by_day", "KeySchema": [
            { "AttributeName": "day", "KeyType": "HASH" }, { "AttributeName": "received_at", "KeyType": "RANGE" }],
            "Projection": { "ProjectionType": "ALL" } }])
    );
    let attrs: Vec<&str> = table["Properties"]["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AttributeName"].as_str().unwrap())
        .collect();
    assert_eq!(attrs, ["source", "received_at", "day"], "each key attribute defined once");

    // The table alone, from the synthesised template, through the emulator's CloudFormation.
    let suffix = format!("gsi{}", std::process::id());
    let mini = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": { "EnvironmentSuffix": t["Parameters"]["EnvironmentSuffix"] },
        "Resources": { "Events": table },
    });
    let script = r#"
import boto3, sys
cf, ddb = boto3.client("cloudformation"), boto3.client("dynamodb")
name, template, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
cf.create_stack(StackName=name, TemplateBody=template, Parameters=[{"ParameterKey": "EnvironmentSuffix", "ParameterValue": suffix}])
cf.get_waiter("stack_create_complete").wait(StackName=name)
table = f"webhook-events-{suffix}"
for source, at, day in [("github", "2026-12-03T23:59:00Z", "2026-12-03"), ("stripe", "2026-12-04T00:01:00Z", "2026-12-04"), ("github", "2026-12-04T08:00:00Z", "2026-12-04")]:
    ddb.put_item(TableName=table, Item={"source": {"S": source}, "received_at": {"S": at}, "day": {"S": day}})
print(table)
"#;
    let out = tap_integration_tests::emulator_python()
        .arg("-c")
        .arg(script)
        .arg(format!("webhooks-{suffix}"))
        .arg(mini.to_string())
        .arg(&suffix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table_name = String::from_utf8_lossy(&out.stdout).trim().to_owned();

    let endpoint = tap_integration_tests::services_env()["TAP_AWS_ENDPOINT"].clone();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let env = stack::webhooks::exporter::Env::from_lookup(&|k| {
        Some(if k == "EVENTS_TABLE" { table_name.clone() } else { format!("unused-{k}") })
    })
    .unwrap();
    let handles = stack::webhooks::exporter::Handles::new(&env, &sdk);
    let day = handles
        .events
        .query()
        .index_name("by_day")
        .key_condition_expression("#d = :d")
        .expression_attribute_names("#d", "day")
        .expression_attribute_values(":d", aws_sdk_dynamodb::types::AttributeValue::S("2026-12-04".into()))
        .send()
        .await
        .unwrap();
    let sources: Vec<String> = day.items().iter().map(|i| i["source"].as_s().unwrap().clone()).collect();
    assert_eq!(sources, ["stripe", "github"], "the day's events, in received order");
}

/// An API that authorizes with JWTs: the authorizer names the issuer and audiences, each
/// route not written `Open` uses it, and the template passes cfn-lint.
#[test]
fn a_jwt_api_writes_its_authorizer_and_passes_cfn_lint() {
    use tap::{Kind, Resource, Stack, Value};
    let stack = Stack::new("Accounts")
        .with_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/fixtures"))
        .with_resource(
            Resource::new(Kind::Function, Some("profile"))
                .with("name", Value::str("accounts-profile-{suffix}"))
                .with("code", Value::call("Dir", vec![Value::str("lambda")]))
                .with("runtime", Value::word("ProvidedAl2023"))
                .with("timeout_seconds", Value::Int(10)),
        )
        .with_resource(
            Resource::new(Kind::LogGroup, None)
                .with("function", Value::reference("profile"))
                .with("retention_days", Value::Int(14))
                .with("removal", Value::word("Destroy")),
        )
        .with_resource(
            Resource::new(Kind::Api, Some("api"))
                .with("name", Value::str("accounts-{suffix}"))
                .with("auth", Value::word("Jwt"))
                .with("jwt_issuer", Value::str("https://auth.example.com/"))
                .with("jwt_audience", Value::List(vec![Value::str("accounts-web")]))
                .with("routes", Value::map(vec![("GET /me", Value::reference("profile"))])),
        )
        .with_resource(
            Resource::new(Kind::Alarm, None)
                .with("name", Value::str("accounts-profile-errors-{suffix}"))
                .with("on", Value::reference("profile"))
                .with("metric", Value::word("Errors"))
                .with("threshold", Value::Int(1)),
        )
        .with_resource(
            Resource::new(Kind::Output, None).with("name", Value::str("Url")).with("value", Value::attr("api", "url")),
        );
    let template = stack.synth().unwrap_or_else(|f| panic!("{f}"));
    let r = &template.0["Resources"];
    assert_eq!(r["ApiGetMeRoute"]["Properties"]["AuthorizationType"], "JWT");
    assert_eq!(r["ApiGetMeRoute"]["Properties"]["AuthorizerId"], json!({ "Ref": "ApiJwtAuthorizer" }));
    assert_eq!(
        r["ApiJwtAuthorizer"]["Properties"]["JwtConfiguration"],
        json!({ "Issuer": "https://auth.example.com/", "Audience": ["accounts-web"] })
    );
    tap_integration_tests::lint("accounts-jwt", &template.to_json());
}
