//! `cargo tap` against real parts: the offline diff on template pairs tap synthesised, and
//! deploy, diff against the deployed stack, plan-delete and delete against the moto
//! server's CloudFormation and S3 (started by `scripts/services`; its endpoint is
//! `TAP_AWS_ENDPOINT`). Each runs the installed binary as a user would.

#[path = "stacks.rs"]
mod stacks;
#[path = "../../tests/integration/tests/stacks/webhooks.rs"]
mod webhooks;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value as Json;

/// Writes `stack`'s ephemeral template where a build would, `<dir>/<Stack>/ephemeral/`,
/// with its `stack.json`.
fn write(stack: tap::Stack, dir: &Path) -> PathBuf {
    let tap::Synthesis { checked, all, .. } = tap::synth_checked(&stack).unwrap_or_else(|f| panic!("{f}"));
    let template = &all[0].1;
    let here = dir.join(&stack.name);
    std::fs::create_dir_all(here.join("ephemeral")).unwrap();
    let mut manifest = tap::manifest::StackManifest::of(&checked, "tap-iac".into(), env!("CARGO_MANIFEST_DIR").into());
    manifest.lifecycles = vec![tap::Lifecycle::Ephemeral];
    std::fs::write(here.join("stack.json"), manifest.to_json()).unwrap();
    let path = here.join("ephemeral/template.json");
    std::fs::write(&path, template.to_json()).unwrap();
    path
}

/// The deploy tests share the one emulator, whose CloudFormation handles one stack
/// operation at a time: run side by side, one waits out the other's (a custom resource the
/// emulator tries to invoke can hold it for a minute). They take turns.
static EMULATOR: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cargo_tap(args: &[&str]) -> Output {
    let endpoint = std::env::var("TAP_AWS_ENDPOINT")
        .expect("TAP_AWS_ENDPOINT: start the services with scripts/services start (the README's test command does)");
    Command::new(env!("CARGO_BIN_EXE_cargo-tap"))
        .arg("tap")
        .args(args)
        .args(["--endpoint-url", &endpoint, "--region", "us-east-1", "--poll-ms", "100", "--timeout-secs", "60"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn offline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-tap")).arg("tap").args(args).stdin(Stdio::null()).output().unwrap()
}

/// The types moto 5's CloudFormation says it created without creating them (see the
/// README's note on the emulator), for the deploys whose test is about something else.
const MOTO_SKIPS: &str = "AWS::ApiGatewayV2::*,AWS::Scheduler::*,AWS::CloudWatch::Alarm,AWS::SecretsManager::Secret,\
AWS::Lambda::EventInvokeConfig,AWS::S3::BucketPolicy,AWS::SQS::QueuePolicy,AWS::SNS::TopicPolicy,Custom::*";

/// What a command printed as JSON on stdout, whatever its exit code.
fn stdout_json(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn json(out: &Output) -> Json {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn offline_diff_reports_replacement_iam_widening_and_an_opened_port() {
    let (a, b) = (scratch("diff-a"), scratch("diff-b"));
    let (old, new) = (write(stacks::orders(), &a), write(stacks::orders_changed(), &b));
    let d = json(&offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--json"]));
    let table = d["resources"].as_array().unwrap().iter().find(|r| r["logical_id"] == "Orders").unwrap();
    assert_eq!(table["change"], "modified");
    assert_eq!(table["replaced_by"], serde_json::json!(["QueueName"]));
    assert_eq!(table["holds_data"], true);
    let widened: Vec<&Json> = d["iam"].as_array().unwrap().iter().filter(|r| r["change"] == "widens").collect();
    assert!(widened.iter().any(|r| r["action"] == "sqs:ReceiveMessage"), "{widened:?}");
    assert!(d["risks"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("holds data and is replaced")));

    let (a, b) = (scratch("net-a"), scratch("net-b"));
    let (old, new) = (write(stacks::network(), &a), write(stacks::network_opened(), &b));
    let d = json(&offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--json"]));
    // The opened port widens the target's ingress and, its other half, the source's egress.
    let mut opened: Vec<(Option<&str>, Option<&str>, Option<&str>)> = d["security_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["change"].as_str(), g["direction"].as_str(), g["ports"].as_str()))
        .collect();
    opened.sort();
    assert_eq!(opened, [(Some("widens"), Some("egress"), Some("22")), (Some("widens"), Some("ingress"), Some("22"))]);
    let text = String::from_utf8(offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("Security group changes") && text.contains("│ + │"), "{text}");
}

/// An exception arriving is what a reviewer must see: `cargo tap diff` lists the
/// acknowledgement with its reason and asks about it, and the opening's policy widens.
#[test]
fn offline_diff_shows_an_added_acknowledgement() {
    let (a, b) = (scratch("ack-a"), scratch("ack-b"));
    let (old, new) = (write(stacks::status_private(), &a), write(stacks::status_public(), &b));
    let d = json(&offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--json"]));
    let acks = d["acknowledgements"].as_array().unwrap();
    assert_eq!(acks.len(), 1, "{d:#}");
    assert_eq!(
        (&acks[0]["change"], &acks[0]["resource"], &acks[0]["rule"], &acks[0]["at"]),
        (&Json::from("widens"), &Json::from("Page"), &Json::from("TAP-PUBLIC-001"), &Json::from("public_read"))
    );
    assert!(d["risks"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("acknowledges TAP-PUBLIC-001")));
    assert!(d["iam"].as_array().unwrap().iter().any(|r| r["principal"] == "*" && r["change"] == "widens"), "{d:#}");
    let text = String::from_utf8(offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("Acknowledged findings") && text.contains("customers read the status page"), "{text}");
}

/// A template tap did not write: an RDS database with no `DeletionPolicy` is snapshotted by
/// CloudFormation, and `plan-delete` and `diff` say so, as the user runs them.
#[test]
fn a_database_written_without_a_policy_is_planned_as_snapshotted() {
    let dir = scratch("legacy");
    let old = dir.join("legacy.json");
    let resources = serde_json::json!({ "Resources": {
        "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres", "DBInstanceClass": "db.t3.micro" } },
        "Jobs": { "Type": "AWS::DynamoDB::Table", "Properties": {} },
    }});
    std::fs::write(&old, resources.to_string()).unwrap();
    let plan = json(&offline(&["plan-delete", "--template", old.to_str().unwrap(), "--json"]));
    let on_delete = |id: &str| {
        plan["resources"].as_array().unwrap().iter().find(|r| r["logical_id"] == id).unwrap()["on_delete"].clone()
    };
    assert_eq!((on_delete("Db"), on_delete("Jobs")), (Json::from("Snapshot"), Json::from("Delete")), "{plan}");
    assert_eq!(plan["summary"]["data_deleted"], 1, "{plan}");

    let new = dir.join("empty.json");
    std::fs::write(&new, r#"{ "Resources": {} }"#).unwrap();
    let out = offline(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AWS::RDS::DBInstance Db  (holds data: snapshot)"), "{text}");
    assert!(text.contains("AWS::DynamoDB::Table Jobs  ⚠ its data is deleted"), "{text}");
}

#[test]
fn deploy_diff_plan_delete_and_delete_on_the_emulator() {
    let _turn = EMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let (a, b) = (scratch("deploy-a"), scratch("deploy-b"));
    let (first, second) = (write(stacks::orders(), &a), write(stacks::orders_changed(), &b));
    let stack = "Orders-ct1";
    let _ = cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]);

    // A new stack's permissions are what it creates, not a widening of what runs: no
    // question, no `--yes` needed (an update that widens one is asked about, below).
    let first_run = cargo_tap(&[
        "deploy",
        "--template",
        first.to_str().unwrap(),
        "--suffix",
        "ct1",
        "--asset-bucket",
        "tap-assets-ct1",
        "--json",
    ]);
    // The asset is packaged, uploaded, the change set executed. moto's CloudFormation says
    // CREATE_COMPLETE without creating the topic's and the queue's policies; tap checks
    // every resource of the template against what the endpoint reports, says so, and fails
    // the deploy: the stack is not what the template says.
    assert_eq!(first_run.status.code(), Some(1), "{}", String::from_utf8_lossy(&first_run.stderr));
    let said = String::from_utf8_lossy(&first_run.stderr);
    assert!(
        said.contains("2 resource(s) of the template were not created") && said.contains("--allow-skipped"),
        "{said}"
    );
    let report = stdout_json(&first_run);
    assert!(report["missing"].as_array().unwrap().iter().all(|m| m["accepted"] == false), "{report}");
    let missing: Vec<(&str, &str)> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["logical_id"].as_str().unwrap(), m["resource_type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        (report["status"].as_str(), report["reported"].as_str()),
        (Some("INCOMPLETE"), Some("CREATE_COMPLETE")),
        "{report}"
    );
    assert_eq!(
        missing,
        [("OrdersPolicy", "AWS::SQS::QueuePolicy"), ("EventsPolicy", "AWS::SNS::TopicPolicy")],
        "{report}"
    );
    assert!(report["diff"]["risks"].as_array().unwrap().is_empty(), "a creation is not a widening: {report}");
    // (The outputs are the endpoint's: moto reports them through scripts/moto-cfn.py.)
    assert!(report["outputs"].is_object());
    let plan = json(&cargo_tap(&["plan-delete", "--stack-name", stack, "--json"]));
    let physical = |lid: &str| {
        plan["resources"].as_array().unwrap().iter().find(|r| r["logical_id"] == lid).map(|r| r["physical_id"].clone())
    };
    assert_eq!(physical("Orders").map(|p| p.as_str().unwrap().ends_with("/orders-ct1")), Some(true));
    assert!(report["changes"].as_array().unwrap().iter().all(|c| c["action"] == "Add"));
    let assets = tap_json(&a.join("Orders/assets.json"));
    assert!(assets["parameters"]["ApiCodeKey"].as_str().unwrap().starts_with("assets/api-"));

    // Against the deployed stack: the change replaces the table (it holds data) and
    // widens the grant.
    let d = json(&cargo_tap(&["diff", "--stack-name", stack, "--template", second.to_str().unwrap(), "--json"]));
    assert!(d["resources"].as_array().unwrap().iter().any(|r| r["logical_id"] == "Orders" && r["replacement"] == true));
    assert!(d["iam"].as_array().unwrap().iter().any(|r| r["change"] == "widens"));

    // Nobody to ask and no --yes: refused, nothing changed.
    let refused = cargo_tap(&[
        "deploy",
        "--template",
        second.to_str().unwrap(),
        "--suffix",
        "ct1",
        "--asset-bucket",
        "tap-assets-ct1",
    ]);
    assert_eq!(refused.status.code(), Some(3), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("holds data and is replaced"));
    let still = json(&cargo_tap(&["diff", "--stack-name", stack, "--template", first.to_str().unwrap(), "--json"]));
    assert!(still["resources"].as_array().unwrap().is_empty(), "the refused deploy changed the stack: {still}");

    let c = scratch("deploy-c");
    let third = write(stacks::orders_widened(), &c);
    let report = json(&cargo_tap(&[
        "deploy",
        "--template",
        third.to_str().unwrap(),
        "--suffix",
        "ct1",
        "--asset-bucket",
        "tap-assets-ct1",
        "--allow-skipped",
        "AWS::SQS::QueuePolicy,AWS::SNS::TopicPolicy",
        "--yes",
        "--json",
    ]));
    // (The policies moto skipped are still missing, and said so again: accepted by name,
    // so the deploy succeeds.)
    assert!(report["missing"].as_array().unwrap().iter().all(|m| m["accepted"] == true), "{report}");
    assert_eq!(
        (report["status"].as_str(), report["reported"].as_str()),
        (Some("INCOMPLETE"), Some("UPDATE_COMPLETE")),
        "{report}"
    );
    assert_eq!(report["missing"].as_array().map(Vec::len), Some(2), "{report}");
    assert!(report["diff"]["iam"].as_array().unwrap().iter().any(|r| r["action"] == "sqs:ReceiveMessage"));

    // What a delete does, from the deployed template and its physical ids.
    let plan = json(&cargo_tap(&["plan-delete", "--stack-name", stack, "--json"]));
    let table = plan["resources"].as_array().unwrap().iter().find(|r| r["logical_id"] == "Orders").unwrap();
    assert_eq!(
        (
            table["on_delete"].as_str(),
            table["physical_id"].as_str().map(|p| p.ends_with("/orders-ct1")),
            table["holds_data"].as_bool()
        ),
        (Some("Delete"), Some(true), Some(true))
    );

    let refused = cargo_tap(&["delete", "--stack-name", stack]);
    assert_eq!(refused.status.code(), Some(3));
    let deleted = json(&cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]));
    assert_eq!(deleted["status"], "DELETE_COMPLETE");
    let gone = cargo_tap(&["plan-delete", "--stack-name", stack]);
    assert!(!gone.status.success() && String::from_utf8_lossy(&gone.stderr).contains("there is no stack"));
}

fn tap_json(p: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn explain_prints_every_rule_and_refuses_unknown_ids() {
    let out = offline(&["explain", "TAP-IAM-001"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success() && text.starts_with("TAP-IAM-001: ") && text.contains("Fix:") && text.contains("Seed:"),
        "{text}"
    );
    let out = offline(&["explain", "TAP-NOPE-001"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The webhooks service (an HTTP API, a queue worker and a nightly schedule, no raw
/// resource) deployed and deleted by `cargo tap` on the emulator. moto says CREATE_COMPLETE
/// and skips what it does not support; tap names each resource it skipped.
#[test]
fn the_webhooks_service_deploys_and_what_the_emulator_skipped_is_named() {
    let _turn = EMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch("webhooks");
    let template = write(webhooks::webhooks(), &dir);
    let stack = "Webhooks-ct2";
    let _ = cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]);
    let report = json(&cargo_tap(&[
        "deploy",
        "--template",
        template.to_str().unwrap(),
        "--suffix",
        "ct2",
        "--asset-bucket",
        "tap-assets-ct2",
        "--allow-skipped",
        MOTO_SKIPS,
        "--json",
    ]));
    assert_eq!(
        (report["status"].as_str(), report["reported"].as_str()),
        (Some("INCOMPLETE"), Some("CREATE_COMPLETE")),
        "{report}"
    );
    let skipped: std::collections::BTreeSet<&str> =
        report["missing"].as_array().unwrap().iter().map(|m| m["resource_type"].as_str().unwrap()).collect();
    // moto 5's CloudFormation has no API Gateway v2, Scheduler, alarms, secrets, Lambda
    // asynchronous configurations or resource policies, and says CREATE_COMPLETE anyway.
    let expected = [
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::Integration",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::Stage",
        "AWS::CloudWatch::Alarm",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::Scheduler::Schedule",
        "AWS::SecretsManager::Secret",
    ];
    assert_eq!(skipped.into_iter().collect::<Vec<_>>(), expected, "{report}");
    let deleted = json(&cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]));
    assert_eq!(deleted["status"], "DELETE_COMPLETE");
}

/// Writes every stack of an app as a build would; returns the templates in the order given.
fn write_app(stacks: Vec<tap::Stack>, dir: &Path) -> Vec<String> {
    stacks.into_iter().map(|s| write(s, dir).to_str().unwrap().to_owned()).collect()
}

#[test]
fn an_app_deploys_in_order_keeps_an_export_in_use_one_deployment_and_deletes_in_reverse() {
    let _turn = EMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let (a, b) = (scratch("app-a"), scratch("app-b"));
    let first = write_app(stacks::apps::shop::stacks(), &a);
    let second = write_app(stacks::apps::shop_without_events::stacks(), &b);
    // Given consumer first: the order is the stacks' own, from what each imports.
    let given = |t: &[String]| vec!["--template".to_owned(), t[1].clone(), "--template".to_owned(), t[0].clone()];
    let run = |args: &[&str], templates: &[String]| {
        let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        all.extend(given(templates));
        cargo_tap(&all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let _ = run(&["delete", "--suffix", "ct3", "--yes", "--json"], &first);
    let deploy = [
        "deploy",
        "--suffix",
        "ct3",
        "--asset-bucket",
        "tap-assets-ct3",
        "--allow-skipped",
        MOTO_SKIPS,
        "--yes",
        "--json",
    ];

    let reports = json(&run(&deploy, &first));
    let names: Vec<&str> = reports.as_array().unwrap().iter().map(|r| r["stack"].as_str().unwrap()).collect();
    assert_eq!(names, ["ShopData-ct3", "ShopService-ct3"], "{reports}");
    let created = |r: &Json| r["status"] == "CREATE_COMPLETE" || r["reported"] == "CREATE_COMPLETE";
    assert!(reports.as_array().unwrap().iter().all(created), "{reports}");

    // The data stack alone cannot drop an export the deployed service imports, nor be
    // deleted under it: CloudFormation refuses both (the emulator is made to, as AWS does).
    let alone = cargo_tap(&["deploy", "--template", &second[0], "--suffix", "ct3", "--yes", "--json"]);
    let said = String::from_utf8_lossy(&alone.stderr);
    assert!(!alone.status.success() && said.contains("is in use by ShopService-ct3"), "{said}");
    let under = cargo_tap(&["delete", "--stack-name", "ShopData-ct3", "--yes", "--json"]);
    let said = String::from_utf8_lossy(&under.stderr);
    assert!(!under.status.success() && said.contains("is in use by ShopService-ct3"), "{said}");

    // The service stops using the topic: this deployment keeps the data stack's export of
    // it, which the deployed service still imports (removing it now would fail the data
    // stack's update, which goes first); the service then deploys without the import.
    let reports = json(&run(&deploy, &second));
    let data = &reports[0];
    assert_eq!(data["stack"], "ShopData-ct3");
    assert_eq!(
        data["kept_exports"],
        serde_json::json!([{
            "output": "ExportOrderEventsArn",
            "export": "ShopData-ct3-OrderEventsArn",
            "imported_by": ["ShopService-ct3"],
        }]),
        "{reports}"
    );
    assert!(reports[1]["kept_exports"].is_null(), "the service exports nothing: {reports}");
    // The next deployment drops it: nothing imports it any more.
    let reports = json(&run(&deploy, &second));
    assert!(reports[0]["kept_exports"].is_null(), "{reports}");
    let d = json(&cargo_tap(&["diff", "--stack-name", "ShopData-ct3", "--template", &second[0], "--json"]));
    assert!(d["resources"].as_array().unwrap().is_empty(), "{d}");

    // A delete takes the consumer first: the export it imports can only go after it.
    let plans = json(&run(&["plan-delete", "--suffix", "ct3", "--json"], &second));
    let planned: Vec<&str> = plans.as_array().unwrap().iter().map(|p| p["stack"].as_str().unwrap()).collect();
    assert_eq!(planned, ["ShopService-ct3", "ShopData-ct3"], "{plans}");
    let deleted = json(&run(&["delete", "--suffix", "ct3", "--yes", "--json"], &second));
    let order: Vec<(&str, &str)> = deleted
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["stack"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(order, [("ShopService-ct3", "DELETE_COMPLETE"), ("ShopData-ct3", "DELETE_COMPLETE")]);
}

/// `tap::build::emit_app` writes each stack with what it imports from, and the app's
/// diagram, which `cargo tap graph` shows for the app: each stack a container, the service's
/// use of the data stack's resources drawn across, through the export.
#[test]
fn an_apps_build_writes_its_stacks_and_one_diagram_across_them() {
    let target = scratch("app-build").join("target");
    let out = target.join("debug/build/shop-0/out");
    std::fs::create_dir_all(&out).unwrap();
    // What cargo gives a build script.
    std::env::set_var("OUT_DIR", &out);
    std::env::set_var("CARGO_PKG_NAME", "shop");
    let written = tap::build::emit_app(stacks::apps::shop::stacks(), &[]);
    assert_eq!(written.len(), 2);
    let manifest = |stack: &str| tap_json(&target.join(format!("tap/{stack}/stack.json")));
    assert!(manifest("ShopData").get("depends_on").is_none());
    assert_eq!(manifest("ShopService")["depends_on"], serde_json::json!(["ShopData"]));

    let templates: Vec<&str> = written.iter().map(|p| p.to_str().unwrap()).collect();
    let graph = offline(&["graph", "--template", templates[1], "--template", templates[0]]);
    assert!(graph.status.success(), "{}", String::from_utf8_lossy(&graph.stderr));
    let mermaid = String::from_utf8(graph.stdout).unwrap();
    assert!(mermaid.contains("subgraph ShopData[\"stack ShopData\"]"), "{mermaid}");
    assert!(mermaid.contains("subgraph ShopService[\"stack ShopService\"]"), "{mermaid}");
    assert!(
        mermaid.contains("ShopService_Api -->|\"send (ORDERS_QUEUE_URL) via export\"| ShopData_Orders"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("ShopService_Api -->|\"publish (EVENTS_TOPIC_ARN) via export\"| ShopData_OrderEvents"),
        "{mermaid}"
    );
    // The import is drawn as the data stack's resource, not as a box of its own.
    assert!(!mermaid.contains("data::orders"), "{mermaid}");
    let dot = offline(&["graph", "--format", "dot", "--template", templates[0], "--template", templates[1]]);
    let dot = String::from_utf8(dot.stdout).unwrap();
    assert!(dot.contains("subgraph cluster_ShopData") && dot.contains("ShopService_Api -> ShopData_Orders"), "{dot}");
}

/// Runs `code` with boto3's S3 client bound to `s3`, against the emulator (the Python the
/// test command installed moto into).
fn with_s3(code: &str) {
    let python = std::env::var("TAP_PYTHON").expect("TAP_PYTHON: the test command sets it");
    let endpoint = std::env::var("TAP_AWS_ENDPOINT").unwrap();
    let script = format!(
        "import boto3\ns3 = boto3.client('s3', endpoint_url={endpoint:?}, region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n{code}\n"
    );
    let out = Command::new(python).args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A delete is judged by what is left, not by the status the endpoint ends in: moto deletes
/// the stack but not a bucket that holds an object (tap's emptier is a custom resource, which
/// moto skips), and `cargo tap delete` names the bucket and exits 1.
#[test]
fn a_bucket_that_survives_the_delete_is_named_and_fails_it() {
    let _turn = EMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch("survivor");
    let template = write(stacks::archive(), &dir);
    let (stack, bucket) = ("Archive-ct4", "archive-ct4");
    let empty_and_remove = format!(
        "try:\n    for o in s3.list_objects_v2(Bucket={bucket:?}).get('Contents', []):\n        s3.delete_object(Bucket={bucket:?}, Key=o['Key'])\n    s3.delete_bucket(Bucket={bucket:?})\nexcept s3.exceptions.NoSuchBucket:\n    pass"
    );
    let _ = cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]);
    with_s3(&empty_and_remove);
    let deploy = ["deploy", "--template", template.to_str().unwrap(), "--suffix", "ct4"];
    json(&cargo_tap(&[&deploy[..], &["--allow-skipped", MOTO_SKIPS, "--yes", "--json"]].concat()));
    with_s3(&format!("s3.put_object(Bucket={bucket:?}, Key='kept.txt', Body=b'still here')"));

    let deleted = cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]);
    let said = String::from_utf8_lossy(&deleted.stderr);
    assert_eq!(deleted.status.code(), Some(1), "{said}");
    assert!(
        said.contains("1 resource(s) the delete plan does not keep are still there: Archive-ct4 Archive (archive-ct4)"),
        "{said}"
    );
    let report = stdout_json(&deleted);
    assert_eq!(report["status"], "DELETE_COMPLETE", "the endpoint's word: {report}");
    let survivors = report["survivors"].as_array().unwrap();
    assert_eq!(survivors.len(), 1, "{report}");
    assert_eq!(
        (survivors[0]["logical_id"].as_str(), survivors[0]["type"].as_str(), survivors[0]["physical_id"].as_str()),
        (Some("Archive"), Some("AWS::S3::Bucket"), Some(bucket))
    );
    assert_eq!(survivors[0]["found"], "the bucket is still there, with 1 object");

    // Emptied, the next stack's bucket goes with its stack: nothing is left, and the delete
    // succeeds.
    with_s3(&empty_and_remove);
    json(&cargo_tap(&[&deploy[..], &["--allow-skipped", MOTO_SKIPS, "--yes", "--json"]].concat()));
    let clean = json(&cargo_tap(&["delete", "--stack-name", stack, "--yes", "--json"]));
    assert!(clean["survivors"].as_array().unwrap().is_empty(), "{clean}");
}
