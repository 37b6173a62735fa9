//! Mutation test: tap-stack's own stack source, with each documented mistake applied to a
//! copy, must fail to build with the matching rule id.
//!
//! All mutants are compiled by one `cargo check` of a scratch crate: each mutant is a
//! module of its own file, so every error maps back to the mutant that caused it, and an
//! unmutated copy is compiled beside them as the control (it must produce no error).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const STACK: &str = include_str!("../tap-stack/src/stack.rs");

/// One line of the stack source, with the resource it belongs to.
struct Line {
    text: String,
    kind: Option<String>,
    binding: Option<String>,
    /// Index of the first line of its `resource!(..)` statement.
    start: usize,
}

fn lines() -> Vec<Line> {
    let mut out = Vec::new();
    let (mut kind, mut binding, mut start) = (None, None, 0);
    for (i, text) in STACK.lines().enumerate() {
        if let Some(pos) = text.find("resource!(") {
            let after = &text[pos + "resource!(".len()..];
            kind = Some(after.split(|c: char| !c.is_alphanumeric()).next().unwrap().to_owned());
            binding = text.trim().strip_prefix("let ").map(|b| b.split_whitespace().next().unwrap().to_owned());
            start = i;
        }
        out.push(Line { text: text.to_owned(), kind: kind.clone(), binding: binding.clone(), start });
        if text.trim_end().ends_with(");") {
            kind = None;
            binding = None;
        }
    }
    out
}

struct Mutant {
    what: String,
    /// The rule id it must fail with; `None` for a variant that must compile clean.
    expect: Option<&'static str>,
    source: String,
}

fn render(lines: &[Line], skip: &[usize], replace: Option<(usize, String)>) -> String {
    let mut s = String::new();
    for (i, l) in lines.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        match &replace {
            Some((j, text)) if *j == i => s.push_str(text),
            _ => s.push_str(&l.text),
        }
        s.push('\n');
    }
    s
}

fn mutants() -> Vec<Mutant> {
    let ls = lines();
    let mut out = Vec::new();
    // Variants that must compile clean.
    let mut clean = Vec::new();
    let mut push = |what: String, expect: &'static str, source: String| {
        assert_ne!(source, render(&ls, &[], None), "mutation `{what}` changed nothing");
        out.push(Mutant { what, expect: Some(expect), source });
    };
    let statement = |start: usize| -> Vec<usize> {
        (start..ls.len())
            .take_while(|&i| i == start || ls[i - 1].start != start || !ls[i - 1].text.trim_end().ends_with(");"))
            .filter(|&i| ls[i].start == start && ls[i].kind.is_some())
            .collect()
    };
    for (i, l) in ls.iter().enumerate() {
        let t = l.text.trim();
        let kind = l.kind.as_deref().unwrap_or("");
        let who = format!("{} {}", kind, l.binding.as_deref().unwrap_or(""));
        let set = |new: &str| Some((i, l.text.replace(t, new)));
        if t.starts_with("name: \"") && t.contains("{suffix}") {
            push(
                format!("drop the suffix from {who}"),
                "TAP-NAME-001",
                render(&ls, &[], set(&t.replace("-{suffix}", ""))),
            );
        }
        let flips: &[(&str, &str, &'static str)] = &[
            ("snapshot_retention: 0,", "snapshot_retention: 5,", "TAP-DESTROY-005"),
            (
                "code: Bin(\"inventory-processor\"),",
                "code: Inline(\"def handler(event, context): pass\"),",
                "TAP-CODE-001",
            ),
            ("runtime: ProvidedAl2023,", "runtime: Python313,", "TAP-CODE-004"),
            ("runtime: ProvidedAl2023,", "runtime: Python39,", "TAP-VER-001"),
            ("engine_version: \"17.7\",", "engine_version: \"16.4\",", "TAP-VER-001"),
            ("instance_class: \"db.t3.medium\",", "instance_class: \"db.t3.mega\",", "TAP-DSL-003"),
            ("node_type: \"cache.t3.micro\",", "node_type: \"cache.t3.mirco\",", "TAP-DSL-003"),
            // The cache token secret allowed punctuation ElastiCache refuses in a token.
            ("password_length: 64,", "password_length: 64, exclude_punctuation: false,", "TAP-DSL-003"),
            ("DB_ENDPOINT: database.endpoint,", "DB_ENDPOINT: \"localhost\",", "TAP-CODE-002"),
            ("starting_position: TrimHorizon,", "starting_position: Latest,", "TAP-ESM-001"),
            // The processor given the master password; the setup moved to the processor.
            ("processor_login.connect,", "processor_login.connect, database.admin,", "TAP-IAM-004"),
            ("setup: db_setup,", "setup: processor,", "TAP-IAM-004"),
            ("user: \"inventory_processor\",", "user: \"inventory-processor\",", "TAP-DSL-003"),
            ("user: \"inventory_processor\",", "user: \"postgres\",", "TAP-DSL-003"),
        ];
        for (from, to, id) in flips {
            if t == *from {
                push(format!("{from} -> {to}"), id, render(&ls, &[], set(to)));
            }
        }
        let drops: &[(&str, &str, &'static str)] = &[
            ("Function", "vpc: vpc,", "TAP-NET-001"),
            ("Function", "subnets: Private,", "TAP-NET-001"),
            ("Function", "security_group: processor_sg,", "TAP-NET-001"),
            ("Function", "egress_via_nat: [Sqs],", "TAP-NET-003"),
            ("EventSource", "retries: 3,", "TAP-ESM-001"),
            ("EventSource", "bisect_on_error: true,", "TAP-ESM-001"),
            ("EventSource", "max_record_age_seconds: 3600,", "TAP-ESM-001"),
            ("EventSource", "on_failure: failure_queue,", "TAP-ESM-001"),
            ("EventSource", "report_batch_item_failures: true,", "TAP-ESM-001"),
            ("EventSource", "starting_position: TrimHorizon,", "TAP-ESM-001"),
            ("Bucket", "expire_after_days: 1095,", "TAP-DATA-001"),
            ("LogGroup", "retention_days: 14,", "TAP-DATA-001"),
            ("Database", "schema: \"../sql/schema.sql\",", "TAP-DATA-002"),
            ("Stream", "encryption: Kms,", "TAP-ENC-001"),
            ("Bucket", "encryption: S3Managed,", "TAP-ENC-001"),
            ("Bucket", "block_public_access: true,", "TAP-PUBLIC-001"),
            ("Bucket", "enforce_tls: true,", "TAP-ENC-001"),
            ("Database", "storage_encrypted: true,", "TAP-ENC-001"),
            ("Cache", "at_rest_encryption: true,", "TAP-ENC-001"),
            ("Cache", "transit_encryption: true,", "TAP-ENC-001"),
            ("Cache", "auth: cache_token,", "TAP-NET-004"),
            ("Queue", "encryption: SqsManaged,", "TAP-ENC-001"),
        ];
        for (k, line, id) in drops {
            if kind == *k && t == *line {
                push(format!("drop `{line}` from {who}"), id, render(&ls, &[i], None));
            }
        }
        // Each grant, in turn.
        if kind == "Function"
            && t.ends_with(',')
            && [".read,", ".write,", ".send,", ".connect,", ".admin,"].iter().any(|level| t.ends_with(level))
        {
            push(format!("drop grant {t}"), "TAP-IAM-001", render(&ls, &[i], None));
        }
        if kind == "Function" && t == "grants: [" {
            push(
                "add an unreferenced grant".into(),
                "TAP-IAM-002",
                render(&ls, &[], Some((i, format!("{}\n            inventory_stream.write,", l.text)))),
            );
            push(
                "add a wildcard grant".into(),
                "TAP-IAM-002",
                render(&ls, &[], Some((i, format!("{}\n            Raw([\"s3:*\"], [\"*\"]),", l.text)))),
            );
        }
        // Malformed input, on every property line: a clear DSL error, never a panic.
        if let Some((key, value)) =
            t.split_once(": ").filter(|(k, _)| !k.contains(' ') && !k.contains('(') && l.kind.is_some())
        {
            if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                push(
                    format!("drop the `:` after {key} in {who}"),
                    "TAP-DSL-009",
                    render(&ls, &[], set(&format!("{key} {value}"))),
                );
                push(
                    format!("stray token in {key} of {who}"),
                    "TAP-DSL-009",
                    render(&ls, &[], set(&format!("{key}: @{value}"))),
                );
            }
        }
        if i == l.start && !kind.is_empty() {
            let lowered =
                l.text.replacen(&format!("resource!({kind}"), &format!("resource!({}", kind.to_lowercase()), 1);
            push(format!("lowercase kind {kind} of {who}"), "TAP-DSL-001", render(&ls, &[], Some((i, lowered))));
        }
        // Whole statements: each ingress rule, endpoint, output and alarm.
        if i == l.start {
            let (needs, id) = match kind {
                "Ingress" => (true, "TAP-NET-002"),
                "Endpoint" => (true, "TAP-NET-003"),
                "Output" => (true, "TAP-OUT-001"),
                "Alarm" => (true, "TAP-OBS-001"),
                _ => (false, ""),
            };
            if needs && kind == "Output" && !output_required(&ls[i].text) {
                // An output of what only the stack reaches (a function, a secret, a queue the
                // stack itself writes to) may go: TAP-OUT-001 asks for entry points.
                clean.push(Mutant {
                    what: format!("drop {}", ls[i].text.trim()),
                    expect: None,
                    source: render(&ls, &statement(i), None),
                });
            } else if needs {
                let span = statement(i);
                push(format!("drop {}", ls[i].text.trim()), id, render(&ls, &span, None));
            }
        }
    }
    out.extend(clean);
    out.extend(lifecycle_mutants(&ls));
    out.extend(raw_mutants());
    out
}

/// Whether TAP-OUT-001 asks for the output on `line`: its value's resource is an entry point
/// of the stack (the kinds whose `Spec` says `Always`). The product catalog's two queues are
/// both written by the stack (the mapping's failures, the processor's quarantine), so
/// neither is an entry point.
fn output_required(line: &str) -> bool {
    let Some(binding) = line.split("value: ").nth(1).and_then(|v| v.split('.').next()) else { return true };
    // `let b = resource!(Kind {`, on one line or with the macro on the next.
    let joined = STACK.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(kind) = joined
        .split(&format!("let {binding} = resource!("))
        .nth(1)
        .map(|rest| rest.split([' ', '{']).next().unwrap_or_default().to_owned())
    else {
        return true;
    };
    !["Function", "Secret", "Queue"].contains(&kind.as_str())
}

/// The documented mistakes written as raw CloudFormation, added to the stack: the rules
/// judge what is deployed, whatever syntax wrote it. Each under all three declarations;
/// `None` where the declaration agrees with what is written.
fn raw_mutants() -> Vec<Mutant> {
    const END: &str = "    resource!(Output { name: \"ProcessorFunctionName\", value: processor.name });\n";
    assert!(STACK.contains(END), "the stack's last line changed; update the mutation test");
    // An Aurora cluster that agrees with every lifecycle: protection, backups and their
    // deletion policy are left out, and tap writes them for each.
    let cluster = |extra: &str| {
        format!(
            "    resource!(AWS::RDS::DBCluster {{\n        DBClusterIdentifier: \"product-catalog-aurora-{{suffix}}\",\n        Engine: \"aurora-postgresql\",\n        EngineVersion: \"17.4\",\n        MasterUsername: \"postgres\",\n        ManageMasterUserPassword: true,\n{extra}    }});\n"
        )
    };
    type Case = (String, String, Option<&'static str>, Option<&'static str>, Option<&'static str>);
    let mut cases: Vec<Case> = vec![
        ("a raw cluster, encrypted".into(), cluster("        StorageEncrypted: true,\n"), None, None, None),
        ("a raw cluster, storage unencrypted (mistake 18)".into(), cluster("        StorageEncrypted: false,\n"), Some("TAP-ENC-001"), Some("TAP-ENC-001"), Some("TAP-ENC-001")),
        ("a raw cluster, no encryption written (mistake 18)".into(), cluster(""), Some("TAP-ENC-001"), Some("TAP-ENC-001"), Some("TAP-ENC-001")),
        ("a raw cluster with deletion protection (mistake 3)".into(), cluster("        StorageEncrypted: true,\n        DeletionProtection: true,\n"), Some("TAP-DESTROY-003"), Some("TAP-DESTROY-003"), None),
        ("a raw cluster without deletion protection".into(), cluster("        StorageEncrypted: true,\n        DeletionProtection: false,\n"), Some("TAP-KEEP-002"), None, Some("TAP-KEEP-002")),
        ("a raw cluster with 7 days of backups (mistake 5)".into(), cluster("        StorageEncrypted: true,\n        BackupRetentionPeriod: 7,\n"), Some("TAP-DESTROY-004"), Some("TAP-DESTROY-004"), None),
        ("a raw cluster with 1 day of backups".into(), cluster("        StorageEncrypted: true,\n        BackupRetentionPeriod: 1,\n"), Some("TAP-KEEP-003"), None, Some("TAP-KEEP-003")),
        ("a raw cluster, public".into(), cluster("        StorageEncrypted: true,\n        PubliclyAccessible: true,\n"), Some("TAP-PUBLIC-002"), Some("TAP-PUBLIC-002"), Some("TAP-PUBLIC-002")),
        (
            "a raw cluster on a deprecated version".into(),
            cluster("        StorageEncrypted: true,\n").replace("\"17.4\"", "\"11.12\""),
            Some("TAP-VER-001"),
            Some("TAP-VER-001"),
            Some("TAP-VER-001"),
        ),
        (
            "the seed's Redis as a raw cache cluster (mistakes 6 and 18)".into(),
            "    resource!(AWS::ElastiCache::CacheCluster { ClusterName: \"product-catalog-raw-{suffix}\", CacheNodeType: \"cache.t3.micro\", Engine: \"redis\", NumCacheNodes: 1, SnapshotRetentionLimit: 5 });\n".into(),
            Some("TAP-ENC-001"),
            Some("TAP-DESTROY-005"),
            Some("TAP-ENC-001"),
        ),
        (
            "a raw bucket policy open to anyone".into(),
            "    resource!(AWS::S3::BucketPolicy { Bucket: archive_bucket, PolicyDocument: { Statement: [{ Effect: \"Allow\", Principal: \"*\", Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::product-inventory-archive-{suffix}/*\" }] } });\n".into(),
            Some("TAP-PUBLIC-001"),
            Some("TAP-PUBLIC-001"),
            Some("TAP-PUBLIC-001"),
        ),
        (
            "a raw egress to anywhere".into(),
            "    resource!(AWS::EC2::SecurityGroupEgress { GroupId: db_security_group.id, IpProtocol: \"-1\", CidrIp: \"0.0.0.0/0\" });\n".into(),
            Some("TAP-NET-002"),
            Some("TAP-NET-002"),
            Some("TAP-NET-002"),
        ),
    ];
    cases.push((
        "the processor behind an HTTP API that waits 30 s for a function that may run longer".into(),
        "    resource!(Api { name: \"product-catalog-{suffix}\", auth: Iam, routes: { \"POST /inventory\": processor } });\n".into(),
        Some("TAP-API-001"),
        Some("TAP-API-001"),
        Some("TAP-API-001"),
    ));
    cases.push((
        "the processor invoked by EventBridge, written raw, with no failure handling".into(),
        "    resource!(AWS::Lambda::Permission { FunctionName: processor.arn, Action: \"lambda:InvokeFunction\", Principal: \"events.amazonaws.com\" });\n".into(),
        Some("TAP-ASYNC-001"),
        Some("TAP-ASYNC-001"),
        Some("TAP-ASYNC-001"),
    ));
    // The same open policy, restricted to the account's organization, is a grant to someone known.
    let restricted = "    resource!(AWS::S3::BucketPolicy { Bucket: archive_bucket, PolicyDocument: { Statement: [{ Effect: \"Allow\", Principal: \"*\", Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::product-inventory-archive-{suffix}/*\", Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-abc123\" } } }] } });\n";
    cases.push(("a raw bucket policy restricted to the organization".into(), restricted.into(), None, None, None));
    let mut out = Vec::new();
    for (what, statement, both, ephemeral, durable) in cases {
        let source = STACK.replace(END, &format!("{END}{statement}"));
        for (header, name, expect) in [
            (HEADER, "both", both),
            (EPHEMERAL_ONLY, "ephemeral only", ephemeral),
            (DURABLE_ONLY, "durable only", durable),
        ] {
            out.push(Mutant { what: format!("{what}, {name}"), expect, source: source.replace(HEADER, header) });
        }
    }
    out
}

/// The stack's `#[stack(..)]` line, and the same stack declared for one lifecycle only.
const HEADER: &str = "#[stack(name = \"ProductCatalog\", lifecycles = [Ephemeral, Durable], durable_suffixes = [\"prod\", \"staging\"])]";
const EPHEMERAL_ONLY: &str = "#[stack(name = \"ProductCatalog\")]";
const DURABLE_ONLY: &str =
    "#[stack(name = \"ProductCatalog\", lifecycles = [Durable], durable_suffixes = [\"prod\", \"staging\"])]";

/// Settings written by hand into a resource, under each lifecycle declaration: what
/// contradicts a supported lifecycle fails with that lifecycle's rule, and what agrees with
/// every supported one compiles (the same line is a mistake in one stack and fine in another).
fn lifecycle_mutants(ls: &[Line]) -> Vec<Mutant> {
    assert!(STACK.contains(HEADER), "the stack's header changed; update the mutation test");
    // (kind, line written, expected under both, ephemeral only, durable only).
    type Case = (&'static str, &'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>);
    let kept = ["Stream", "Bucket", "Secret", "Database", "Queue", "LogGroup"];
    let mut cases: Vec<Case> = Vec::new();
    for kind in kept {
        cases.push((kind, "removal: Retain,", Some("TAP-DESTROY-001"), Some("TAP-DESTROY-001"), None));
        cases.push((kind, "removal: Destroy,", Some("TAP-KEEP-001"), None, Some("TAP-KEEP-001")));
    }
    cases.extend([
        ("Database", "removal: Snapshot,", Some("TAP-DESTROY-001"), Some("TAP-DESTROY-001"), None),
        ("Database", "deletion_protection: true,", Some("TAP-DESTROY-003"), Some("TAP-DESTROY-003"), None),
        ("Database", "deletion_protection: false,", Some("TAP-KEEP-002"), None, Some("TAP-KEEP-002")),
        ("Database", "backup_retention_days: 7,", Some("TAP-DESTROY-004"), Some("TAP-DESTROY-004"), None),
        ("Database", "backup_retention_days: 0,", Some("TAP-KEEP-003"), None, Some("TAP-KEEP-003")),
        ("Bucket", "auto_delete_objects: false,", Some("TAP-DESTROY-002"), Some("TAP-DESTROY-002"), None),
        ("Bucket", "auto_delete_objects: true,", Some("TAP-KEEP-004"), None, Some("TAP-KEEP-004")),
        ("Bucket", "versioned: false,", Some("TAP-KEEP-004"), None, Some("TAP-KEEP-004")),
        // The cache is disposable: removal Destroy agrees with every lifecycle.
        ("Cache", "removal: Destroy,", None, None, None),
    ]);
    let mut out = Vec::new();
    for (i, l) in ls.iter().enumerate() {
        let Some(kind) = l.kind.as_deref() else { continue };
        if i != l.start || !l.text.trim_end().ends_with('{') {
            continue;
        }
        // A resource declared `disposable` is deleted in every lifecycle: writing
        // `removal: Destroy` agrees with all of them, as on the cache.
        let disposable = ls.iter().any(|o| o.start == i && o.text.trim_start().starts_with("disposable:"));
        for (k, line, both, ephemeral, durable) in &cases {
            if kind != *k || (disposable && line.starts_with("disposable:")) {
                continue;
            }
            let (both, ephemeral, durable) = if disposable && *line == "removal: Destroy," {
                (&None, &None, &None)
            } else {
                (both, ephemeral, durable)
            };
            let source = render(ls, &[], Some((i, format!("{}\n        {line}", l.text))));
            let who = format!("{kind} {}", l.binding.as_deref().unwrap_or(""));
            for (header, name, expect) in [
                (HEADER, "both", both),
                (EPHEMERAL_ONLY, "ephemeral only", ephemeral),
                (DURABLE_ONLY, "durable only", durable),
            ] {
                out.push(Mutant {
                    what: format!("`{line}` on {who}, {name}"),
                    expect: *expect,
                    source: source.replace(HEADER, header),
                });
            }
        }
    }
    // Each declaration unmutated compiles too.
    for header in [EPHEMERAL_ONLY, DURABLE_ONLY] {
        out.push(Mutant { what: format!("unmutated, {header}"), expect: None, source: STACK.replace(HEADER, header) });
    }
    out
}

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutants");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    std::fs::create_dir_all(dir.join("sql")).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"tap-mutants\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n\
             [dependencies]\ntap = {{ package = \"tap-iac\", path = {root:?} }}\n"
        ),
    )
    .unwrap();
    // Same versions as the workspace, and no network needed.
    std::fs::copy(Path::new(root).join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::copy(Path::new(root).join("tap-stack/sql/schema.sql"), dir.join("sql/schema.sql")).unwrap();
    // Every copy is the product catalog, judged against its committed lock (read-only: the
    // copies must not rewrite it for each other).
    std::fs::copy(
        Path::new(root).join("tap-stack/src/ProductCatalog.tap.lock"),
        dir.join("src/ProductCatalog.tap.lock"),
    )
    .unwrap();
    // `Bin("inventory-processor")` must resolve in the copy as it does in tap-stack.
    std::fs::write(dir.join("src/bin/inventory-processor.rs"), "fn main() {}\n").unwrap();
    std::fs::write(dir.join("src/bin/db-setup.rs"), "fn main() {}\n").unwrap();
    dir
}

#[test]
fn each_documented_mistake_applied_to_the_stack_fails_with_its_rule() {
    let mutants = mutants();
    // Every rule that guards the product-catalog stack is exercised by some mutant.
    let covered: BTreeSet<&str> = mutants.iter().filter_map(|m| m.expect).collect();
    for rule in tap::rules::ALL {
        assert!(covered.contains(rule.id), "no mutant for {}", rule.id);
    }
    assert!(mutants.len() >= 200, "only {} mutants", mutants.len());

    let dir = scratch();
    let mut lib = String::from("#![allow(dead_code, unused)]\nmod control;\n");
    std::fs::write(dir.join("src/control.rs"), STACK).unwrap();
    for (n, m) in mutants.iter().enumerate() {
        lib.push_str(&format!("mod m{n:03};\n"));
        std::fs::write(dir.join(format!("src/m{n:03}.rs")), &m.source).unwrap();
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();

    let out = Command::new(env!("CARGO"))
        .args(["check", "--lib", "--offline", "--message-format=json", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("TAP_LOCKED", "1")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("run cargo check");
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let file = msg["message"]["spans"][0]["file_name"].as_str().unwrap_or("?").to_owned();
        let text = msg["message"]["message"].as_str().unwrap_or_default().to_owned();
        // A mutant that adds a kept resource (a raw cluster) is one the lock has not seen,
        // which the read-only lock refuses; the lock's own errors are tested on their own
        // (`tests/ui/lock/`, `tests/integration/tests/lock.rs`), not the rules' here.
        if text.starts_with("TAP-LOCK-005:") && file != "src/control.rs" {
            continue;
        }
        errors.entry(file).or_default().push(text);
    }
    assert!(!out.status.success(), "the mutants compiled");
    assert!(
        !errors.contains_key("src/control.rs"),
        "the unmutated stack failed: {:?}\n{}",
        errors.get("src/control.rs"),
        String::from_utf8_lossy(&out.stderr)
    );
    let panics: Vec<_> = errors.values().flatten().filter(|e| e.contains("panicked")).collect();
    assert!(panics.is_empty(), "the macro panicked: {panics:?}");
    let mut failures = Vec::new();
    for (n, m) in mutants.iter().enumerate() {
        let got = errors.get(&format!("src/m{n:03}.rs")).cloned().unwrap_or_default();
        match m.expect {
            Some(id) if !got.iter().any(|e| e.starts_with(&format!("{id}:"))) => {
                failures.push(format!("m{n:03} `{}`: expected {id}, got {:?}", m.what, got))
            }
            None if !got.is_empty() => {
                failures.push(format!("m{n:03} `{}`: expected to compile, got {:?}", m.what, got))
            }
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} mutants not rejected as expected:\n{}",
        failures.len(),
        mutants.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} mutants, each rejected with its rule (or, where the declaration agrees with the line, compiled clean)",
        mutants.len()
    );
}
