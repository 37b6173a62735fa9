//! The product-catalog templates, one per lifecycle: the bytes `cargo build` writes are the
//! snapshots, synthesis is deterministic, and each template enforces its lifecycle.

use std::path::Path;

use tap::cfn::DeletionPolicy;
use tap::Lifecycle;

fn all() -> Vec<(Lifecycle, tap::Template, tap::plan::DeletePlan)> {
    tap_stack::product_catalog().synth_all().expect("the product-catalog stack passes every rule")
}

#[test]
fn templates_and_delete_plans_match_snapshots() {
    let all = all();
    assert_eq!(all.iter().map(|(l, ..)| *l).collect::<Vec<_>>(), [Lifecycle::Ephemeral, Lifecycle::Durable]);
    for (lifecycle, template, plan) in &all {
        let dir = lifecycle.dir();
        insta::assert_snapshot!(format!("product_catalog_{dir}_template"), template.to_json());
        insta::assert_snapshot!(format!("product_catalog_{dir}_delete_plan"), plan.to_markdown());
    }
}

#[test]
fn build_wrote_the_same_bytes() {
    for (lifecycle, template, plan) in all() {
        let dir = Path::new(tap_stack::TEMPLATE_DIR).join(lifecycle.dir());
        let read = |f: &str| {
            std::fs::read_to_string(dir.join(f))
                .unwrap_or_else(|e| panic!("cargo build wrote no {f} in {}: {e}", dir.display()))
        };
        assert_eq!(read("template.json"), template.to_json());
        assert_eq!(read("delete-plan.md"), plan.to_markdown());
        assert_eq!(read("delete-plan.json"), plan.to_json());
    }
    assert!(tap_stack::TEMPLATE_PATH.ends_with("tap/ProductCatalog/ephemeral/template.json"));
}

/// The parameter refuses the other lifecycle's suffixes, in the template itself: `prod`
/// cannot be deployed with the template that deletes everything, nor `pr42` with the one
/// that keeps it. CloudFormation evaluates `AllowedPattern` as a Java regex; Python's `re`
/// agrees on this one (anchors, a negative lookahead, a class), so it checks it here.
#[test]
fn each_template_accepts_only_its_own_suffixes() {
    let all = all();
    let param = |l: usize| all[l].1 .0["Parameters"]["EnvironmentSuffix"].clone();
    let pattern = param(0)["AllowedPattern"].as_str().unwrap().to_owned();
    let allowed: Vec<String> =
        param(1)["AllowedValues"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    assert_eq!(allowed, ["prod", "staging"]);
    let suffixes = ["prod", "staging", "dev", "pr42", "production", "prod2", "Prod", ""];
    let script = format!("import re, sys\nfor s in sys.argv[1:]:\n    print(s, bool(re.fullmatch({pattern:?}, s)))\n");
    let out =
        std::process::Command::new("python3").arg("-c").arg(&script).args(suffixes).output().expect("python3 runs");
    let verdicts: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    let ephemeral_accepts = |s: &str| verdicts.iter().any(|v| v == &format!("{s} True"));
    assert_eq!(verdicts.len(), suffixes.len(), "{verdicts:?}");
    for s in suffixes {
        let durable_accepts = allowed.iter().any(|a| a == s);
        let valid = !s.is_empty() && s.len() <= 12 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        assert_eq!(ephemeral_accepts(s), valid && !durable_accepts, "ephemeral template on suffix {s:?}");
        assert!(!(ephemeral_accepts(s) && durable_accepts), "suffix {s:?} is accepted by both templates");
    }
}

#[test]
fn the_durable_template_keeps_the_data_and_the_ephemeral_one_deletes_it() {
    let all = all();
    let (ephemeral, durable) = (&all[0].2, &all[1].2);
    assert_eq!((ephemeral.summary.retain, ephemeral.summary.snapshot), (0, 0));
    assert_eq!(ephemeral.summary.delete, ephemeral.entries.len());
    let kept: Vec<(&str, DeletionPolicy)> = durable
        .entries
        .iter()
        .filter(|e| e.action != DeletionPolicy::Delete)
        .map(|e| (e.logical_id.as_str(), e.action))
        .collect();
    assert_eq!(
        kept,
        [
            ("InventoryStream", DeletionPolicy::Retain),
            ("ArchiveBucket", DeletionPolicy::Retain),
            // The kept bucket's server access logs, and the database's exported logs.
            ("ArchiveBucketAccessLogs", DeletionPolicy::Retain),
            ("DatabasePostgresqlLogs", DeletionPolicy::Retain),
            ("DatabaseUpgradeLogs", DeletionPolicy::Retain),
            ("Database", DeletionPolicy::Snapshot),
            ("DbSetupLogGroup", DeletionPolicy::Retain),
            ("FailureQueue", DeletionPolicy::Retain),
            ("QuarantineQueue", DeletionPolicy::Retain),
            ("ProcessorLogGroup", DeletionPolicy::Retain),
        ]
    );
    let cache = durable.entries.iter().find(|e| e.logical_id == "RedisCluster").unwrap();
    assert_eq!(cache.action, DeletionPolicy::Delete);
    assert!(cache.why.starts_with("disposable: "), "{}", cache.why);
    let t = &all[1].1 .0["Resources"];
    assert_eq!(t["Database"]["Properties"]["DeletionProtection"], true);
    assert_eq!(t["Database"]["Properties"]["BackupRetentionPeriod"], 7);
    assert_eq!(t["Database"]["Properties"]["MultiAZ"], true);
    assert_eq!(all[0].1 .0["Resources"]["Database"]["Properties"]["MultiAZ"], false);
    assert_eq!(t["ArchiveBucket"]["Properties"]["VersioningConfiguration"]["Status"], "Enabled");
    assert!(t.get("ArchiveBucketAutoDeleteObjects").is_none());
    // The master password is RDS's (generated and rotated, never in the template); the
    // processor's user stays in a kept database and goes with a deleted one.
    for (n, drop_on_delete) in [(0, true), (1, false)] {
        let r = &all[n].1 .0["Resources"];
        assert_eq!(r["Database"]["Properties"]["ManageMasterUserPassword"], true);
        assert!(r["Database"]["Properties"].get("MasterUserPassword").is_none());
        assert_eq!(r["ProcessorLogin"]["Properties"]["DropOnDelete"], drop_on_delete);
    }
}

/// Two processes (each with its own hash seeds, addresses and allocation order) write the
/// same bytes. A nondeterminism inside one process (iteration over a HashMap, say) would
/// not show when comparing two runs in the same process, which share the hasher's seed.
#[test]
fn synthesis_is_deterministic() {
    let here = tap_stack::product_catalog().synth().unwrap().to_json();
    // In the child processes below, this test prints its template and stops there.
    if std::env::var_os("TAP_PRINT_TEMPLATE").is_some() {
        println!("<<<{here}>>>");
        return;
    }
    assert!(here.contains("ephemeral deployments"));
    for _ in 0..2 {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "synthesis_is_deterministic", "--nocapture", "--test-threads=1"])
            .env("TAP_PRINT_TEMPLATE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let there = stdout
            .split("<<<")
            .nth(1)
            .and_then(|s| s.split(">>>").next())
            .unwrap_or_else(|| panic!("child printed no template: {stdout}"));
        assert_eq!(there, here);
    }
}

#[test]
fn every_name_is_per_environment() {
    let t: serde_json::Value = tap_stack::product_catalog().synth().unwrap().0;
    let names = [
        "Name",
        "BucketName",
        "QueueName",
        "FunctionName",
        "GroupName",
        "DBInstanceIdentifier",
        "ReplicationGroupId",
        "AlarmName",
        "LogGroupName",
    ];
    let mut checked = 0;
    for (id, res) in t["Resources"].as_object().unwrap() {
        for key in names {
            let Some(v) = res["Properties"].get(key) else { continue };
            // A reference to another resource carries that resource's (suffixed) name.
            if let Some(target) = v["Ref"].as_str() {
                assert!(t["Resources"].get(target).is_some(), "{id}.{key} refers to {target}");
                continue;
            }
            let sub = v["Fn::Sub"].as_str().unwrap_or_else(|| panic!("{id}.{key} is not a Fn::Sub: {v}"));
            let generated = sub.split("${").skip(1).any(|p| t["Resources"].get(p.split('}').next().unwrap()).is_some());
            assert!(sub.contains("${EnvironmentSuffix}") || generated, "{id}.{key} = {sub}");
            checked += 1;
        }
    }
    // 24 physical names: stream, the cache token's secret, bucket, 2 queues, 2 functions
    // (the processor, the database setup), 5 groups, database, cache, 3 alarms, 7 log
    // groups (the two functions', the bucket emptier's, the VPC's flow logs, its
    // default-group restrictor's and the database's two exported logs).
    assert_eq!(checked, 24, "names checked");
    // Every resource that holds data is deleted with the (ephemeral) stack, by a policy the
    // template writes: a dropped policy is CloudFormation's default, which snapshots a
    // database, and fails here.
    let mut stateful = 0;
    for (id, res) in t["Resources"].as_object().unwrap() {
        let ty = res["Type"].as_str().unwrap();
        if tap::aws_data::registry::schema(ty).is_some_and(|s| s.stateful) {
            assert_eq!(res["DeletionPolicy"], "Delete", "{id} ({ty}) writes no `DeletionPolicy: Delete`");
            stateful += 1;
        }
        assert_eq!(DeletionPolicy::of(res), DeletionPolicy::Delete, "{id}");
    }
    assert!(stateful >= 8, "{stateful} stateful resources");
}

/// The function's environment in the template is exactly what its generated `Env` reads:
/// every variable present lets the processor start its configuration; any one missing is
/// named.
#[test]
fn template_environment_matches_the_processor_bindings() {
    let t = tap_stack::product_catalog().synth().unwrap().0;
    let vars = t["Resources"]["Processor"]["Properties"]["Environment"]["Variables"].as_object().unwrap();
    let names: Vec<&str> = vars.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "DB_USER",
            "DB_ENDPOINT",
            "DB_PORT",
            "DB_NAME",
            "REDIS_ENDPOINT",
            "REDIS_PORT",
            "REDIS_AUTH_SECRET_ARN",
            "ARCHIVE_BUCKET",
            "QUARANTINE_QUEUE_URL"
        ]
    );
    let value = |name: &str| if name.ends_with("_PORT") { "5432".to_owned() } else { format!("value-of-{name}") };
    let env =
        tap_stack::product_catalog::processor::Env::from_lookup(&|k| names.contains(&k).then(|| value(k))).unwrap();
    assert_eq!(env.archive_bucket.as_str(), "value-of-ARCHIVE_BUCKET");
    assert_eq!(env.archive_bucket.variable(), "ARCHIVE_BUCKET");
    for missing in &names {
        let err = tap_stack::product_catalog::processor::Env::from_lookup(&|k| {
            (k != *missing && names.contains(&k)).then(|| value(k))
        })
        .unwrap_err();
        assert_eq!(err.variable, *missing);
    }
}

/// The diagram `cargo build` writes beside the templates: the VPC and its private subnets
/// as containers, and each edge labelled with what tap checked.
#[test]
fn the_stack_diagram_shows_what_was_checked() {
    let stack = tap_stack::product_catalog();
    let (checked, findings) = tap::check(&stack);
    assert!(findings.0.is_empty());
    let graph = tap::graph::graph(&checked.unwrap(), &[]);
    let mermaid = graph.to_mermaid();
    insta::assert_snapshot!("product_catalog_graph", mermaid);
    let edge = |from: &str, to: &str| {
        graph
            .edges
            .iter()
            .find(|e| graph.boxes[&e.from].id == from && graph.boxes[&e.to].id == to)
            .map(|e| e.label.clone())
    };
    assert_eq!(edge("Processor", "ArchiveBucket").as_deref(), Some("write (ARCHIVE_BUCKET)"));
    assert!(edge("Processor", "Database").unwrap().starts_with("tcp/5432 · connects (DB_ENDPOINT"));
    assert_eq!(edge("InventoryStream", "Processor").as_deref(), Some("feeds (batch 100, 3 retries, partial batch)"));
    assert!(graph.edges.iter().any(|e| e.dashed && e.label == "failed batches"));
    let inside = |id: &str| graph.boxes.values().find(|b| b.id == id).unwrap().inside.map(|(_, t)| t);
    assert_eq!(inside("Database"), Some("Private"));
    assert_eq!(inside("ArchiveBucket"), None);
    let dir = Path::new(tap_stack::TEMPLATE_DIR);
    assert_eq!(std::fs::read_to_string(dir.join("graph.mmd")).unwrap(), mermaid, "cargo build wrote another graph.mmd");
    assert_eq!(std::fs::read_to_string(dir.join("graph.dot")).unwrap(), graph.to_dot());
}

/// Issue 11, part 9: tracing and the database's logs everywhere; enhanced monitoring and
/// S3 access logs where the data is kept (they write where an ephemeral stack could not
/// clean up: the account's `RDSOSMetrics`, a bucket of logs).
#[test]
fn observability_is_on_where_it_stays_destroyable() {
    let all = all();
    for (lifecycle, template, _) in &all {
        let r = &template.0["Resources"];
        let durable = lifecycle.dir() == "durable";
        assert_eq!(r["Processor"]["Properties"]["TracingConfig"]["Mode"], "Active");
        let db = &r["Database"];
        assert_eq!(db["Properties"]["EnableCloudwatchLogsExports"], serde_json::json!(["postgresql", "upgrade"]));
        assert_eq!(db["DependsOn"], serde_json::json!(["DatabasePostgresqlLogs", "DatabaseUpgradeLogs"]));
        assert_eq!(
            r["DatabasePostgresqlLogs"]["Properties"]["LogGroupName"],
            serde_json::json!({ "Fn::Sub": "/aws/rds/instance/product-catalog-${EnvironmentSuffix}/postgresql" })
        );
        assert_eq!(db["Properties"]["MonitoringInterval"].as_i64(), durable.then_some(60), "{}", lifecycle.dir());
        assert_eq!(
            r["ArchiveBucket"]["Properties"]["LoggingConfiguration"].is_object(),
            durable,
            "{}",
            lifecycle.dir()
        );
        assert_eq!(r["ArchiveBucketAccessLogs"]["DeletionPolicy"].as_str(), durable.then_some("Retain"));
    }
}

/// tap's own stack breaks no rule on purpose: it carries no acknowledgement, in its source
/// or its templates, so every rule holds on it without exception.
#[test]
fn the_product_catalog_acknowledges_nothing() {
    let stack = tap_stack::product_catalog();
    let acknowledging: Vec<_> = stack.resources.iter().filter(|r| !r.expects.is_empty()).map(|r| &r.binding).collect();
    assert!(acknowledging.is_empty(), "acknowledgements in tap-stack: {acknowledging:?}");
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tap-stack/src/stack.rs")).unwrap();
    assert!(!source.contains("expect("), "tap-stack's stack.rs acknowledges a finding");
    for (lifecycle, template, plan) in stack.synth_all().unwrap() {
        assert!(tap::synth::recorded(&template.0).is_empty(), "{lifecycle:?}");
        assert!(plan.entries.iter().all(|e| e.acknowledged.is_empty()));
    }
}
