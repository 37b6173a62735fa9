//! Helpers shared by the tests in `tests/`.

use std::process::Command;

/// Runs cfn-lint on a template and fails on any error or warning.
/// cfn-lint comes from PyPI (see requirements-dev.txt at the repository root); without it
/// this fails, it does not skip. `CFN_LINT` names the executable.
pub fn lint(name: &str, json: &str) {
    let dir = std::env::temp_dir().join(format!("tap-cfn-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, json).unwrap();
    let cfn_lint = std::env::var("CFN_LINT").unwrap_or_else(|_| "cfn-lint".to_owned());
    let out =
        Command::new(cfn_lint).arg("--format").arg("parseable").arg("--").arg(&path).output().unwrap_or_else(|e| {
            panic!(
                "cannot run cfn-lint ({e}); install it with `scripts/test` (or `pip install -r requirements-dev.txt`)"
            )
        });
    let report = String::from_utf8_lossy(&out.stdout);
    // Exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 8,
        "cfn-lint on {name} exited {code}:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The local services' settings: the process environment, then `.state/services.env`
/// (written by `scripts/services start`, which `scripts/test` runs).
pub fn services_env() -> std::collections::HashMap<String, String> {
    let mut vars: std::collections::HashMap<String, String> = std::env::vars().collect();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.state/services.env");
    if let Ok(text) = std::fs::read_to_string(file) {
        for line in text.lines() {
            if let Some((k, v)) = line.split_once('=') {
                vars.entry(k.to_owned()).or_insert_with(|| v.to_owned());
            }
        }
    }
    vars
}

/// Checks every resource of `template` against its registry schema as tap-core reads it
/// (`tap::aws_data::registry`) and fails on any problem. A value whose pattern Rust's regex
/// cannot compile is checked here by Python's `re` (which has the look-arounds those
/// patterns use), so nothing passes unchecked; returns how many resources were checked.
pub fn assert_matches_registry(name: &str, template: &serde_json::Value) -> usize {
    let (mut checked, mut problems, mut unchecked) = (0, Vec::new(), Vec::new());
    for (lid, r) in template["Resources"].as_object().expect("a template has Resources") {
        let ty = r["Type"].as_str().unwrap_or_default();
        if ty.starts_with("Custom::") {
            continue;
        }
        let Some(schema) = tap::aws_data::registry::schema(ty) else {
            problems.push(format!("{lid} has type {ty}, which the registry does not list"));
            continue;
        };
        let report = schema.check(&r["Properties"]);
        problems.extend(report.problems.iter().map(|p| format!("{lid} ({ty}) {}: {}", p.path, p.message)));
        unchecked.extend(report.unchecked.into_iter().map(|u| (format!("{lid} ({ty})"), u)));
        checked += 1;
    }
    if !unchecked.is_empty() {
        problems.extend(python_pattern_problems(&unchecked));
    }
    assert!(problems.is_empty(), "{name}: resources that break their schema:\n{}", problems.join("\n"));
    checked
}

/// The values among `unchecked` that Python's `re` finds do not match their pattern.
fn python_pattern_problems(unchecked: &[(String, tap::aws_data::registry::Unchecked)]) -> Vec<String> {
    // JSON Schema's `pattern` matches anywhere in the value (ECMA-262 semantics): `re.search`.
    let script = "import json, re, sys\nfor p, v in json.load(sys.stdin):\n    print(bool(re.search(p, v)))\n";
    let pairs: Vec<(&str, &str)> = unchecked.iter().map(|(_, u)| (u.pattern.as_str(), u.value.as_str())).collect();
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), serde_json::to_string(&pairs).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let verdicts: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(
        verdicts.len(),
        unchecked.len(),
        "python3 checked every value: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fails = unchecked.iter().zip(verdicts).filter(|(_, verdict)| *verdict != "True");
    fails
        .map(|((at, u), _)| format!("{at} {}: \"{}\" does not match the pattern {}", u.path, u.value, u.pattern))
        .collect()
}

/// Runs one event through a custom resource's inline handler (one of the `.py` files in
/// `tap-core/src/kinds/`), as Lambda would, against the emulator (`scripts/custom-resource.py`
/// records what it would send CloudFormation); returns that response.
pub fn run_custom_resource(handler: &str, event: &serde_json::Value) -> serde_json::Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = emulator_python()
        .arg(format!("{root}/scripts/custom-resource.py"))
        .arg(format!("{root}/tap-core/src/kinds/{handler}"))
        .arg(event.to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the handler did not run: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The services' Python (`TAP_PYTHON`, with boto3) set up to reach the emulator
/// (`TAP_AWS_ENDPOINT`) with test credentials in us-east-1.
pub fn emulator_python() -> Command {
    let vars = services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    let mut python = Command::new(get("TAP_PYTHON"));
    python
        .env("AWS_ENDPOINT_URL", get("TAP_AWS_ENDPOINT"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1");
    python
}

/// A CloudFormation custom resource event of `request` type with `properties`.
pub fn custom_resource_event(
    request: &str,
    resource_type: &str,
    physical_id: &str,
    properties: serde_json::Value,
) -> serde_json::Value {
    let mut props = properties;
    props["ServiceToken"] = serde_json::json!("arn:aws:lambda:us-east-1:123456789012:function:tap");
    serde_json::json!({
        "RequestType": request,
        "ResponseURL": "http://127.0.0.1:9/unused",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/Test-ut/1",
        "RequestId": "r1",
        "LogicalResourceId": "Custom",
        "PhysicalResourceId": physical_id,
        "ResourceType": resource_type,
        "ResourceProperties": props,
    })
}
