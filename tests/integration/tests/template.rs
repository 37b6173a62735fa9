//! The product-catalog template: the bytes `cargo build` writes are the snapshot, and
//! synthesis is deterministic.

#[test]
fn template_matches_snapshot() {
    let template = tap_stack::product_catalog().synth().expect("the product-catalog stack passes every rule");
    insta::assert_snapshot!("product_catalog_template", template.to_json());
}

#[test]
fn build_wrote_the_same_bytes() {
    let written = std::fs::read_to_string(tap_stack::TEMPLATE_PATH).expect("cargo build wrote the template");
    let synthesised = tap_stack::product_catalog().synth().unwrap().to_json();
    assert_eq!(written, synthesised);
    assert!(tap_stack::TEMPLATE_PATH.ends_with("tap/ProductCatalog/template.json"));
}

/// Run by `synthesis_is_deterministic` in a child process: prints the template.
#[test]
fn print_template_for_another_process() {
    if std::env::var_os("TAP_PRINT_TEMPLATE").is_some() {
        println!("<<<{}>>>", tap_stack::product_catalog().synth().unwrap().to_json());
    }
}

/// Two processes (each with its own hash seeds, addresses and allocation order) write the
/// same bytes. A nondeterminism inside one process (iteration over a HashMap, say) would
/// not show when comparing two runs in the same process, which share the hasher's seed.
#[test]
fn synthesis_is_deterministic() {
    let here = tap_stack::product_catalog().synth().unwrap().to_json();
    for _ in 0..2 {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "print_template_for_another_process", "--nocapture", "--test-threads=1"])
            .env("TAP_PRINT_TEMPLATE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let there = stdout.split("<<<").nth(1).and_then(|s| s.split(">>>").next()).unwrap_or_else(|| panic!("child printed no template: {stdout}"));
        assert_eq!(there, here);
    }
}

#[test]
fn every_name_is_per_environment() {
    let t: serde_json::Value = tap_stack::product_catalog().synth().unwrap().0;
    let names = [
        "Name", "BucketName", "QueueName", "FunctionName", "GroupName", "DBInstanceIdentifier",
        "ReplicationGroupId", "AlarmName", "LogGroupName",
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
    // 17 physical names: stream, secret, bucket, 2 queues, function, 4 groups, database,
    // cache, 3 alarms, 2 log groups.
    assert_eq!(checked, 17, "names checked");
    // Every stateful resource is deleted with the stack.
    for (id, res) in t["Resources"].as_object().unwrap() {
        if let Some(p) = res.get("DeletionPolicy") {
            assert_eq!(p, "Delete", "{id}");
        }
    }
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
        ["DB_SECRET_ARN", "DB_ENDPOINT", "DB_PORT", "DB_NAME", "REDIS_ENDPOINT", "REDIS_PORT", "ARCHIVE_BUCKET", "QUARANTINE_QUEUE_URL"]
    );
    let value = |name: &str| if name.ends_with("_PORT") { "5432".to_owned() } else { format!("value-of-{name}") };
    let env = tap_stack::product_catalog::processor::Env::from_lookup(&|k| names.contains(&k).then(|| value(k))).unwrap();
    assert_eq!(env.archive_bucket.as_str(), "value-of-ARCHIVE_BUCKET");
    assert_eq!(env.archive_bucket.variable(), "ARCHIVE_BUCKET");
    for missing in &names {
        let err = tap_stack::product_catalog::processor::Env::from_lookup(&|k| (k != *missing && names.contains(&k)).then(|| value(k))).unwrap_err();
        assert_eq!(err.variable, *missing);
    }
}
