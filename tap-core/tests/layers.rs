//! The crate's structure, held by tests: its modules form layers without a cycle, and no
//! file outside `kinds/` and `rules/` knows a kind's property names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level modules in the order `lib.rs` declares them: that order is the layering.
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    lib.lines().filter_map(|l| l.trim().strip_prefix("pub mod ")).map(|m| m.trim_end_matches(';').to_owned()).collect()
}

/// The top-level module a file belongs to.
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib").then_some(name)
}

/// The top-level modules a file names as `crate::<module>`.
fn uses(text: &str, modules: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split("crate::").skip(1) {
        let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if modules.contains(&name) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[test]
fn modules_form_layers_without_a_cycle() {
    let layers = layers();
    assert!(layers.len() >= 10, "lib.rs declares {layers:?}");
    let rank = |m: &str| layers.iter().position(|l| l == m).unwrap_or_else(|| panic!("{m} is not declared in lib.rs"));
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for file in files(&src()) {
        let Some(module) = module_of(&file) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in uses(&text, &layers) {
            if used == module {
                continue;
            }
            if rank(&used) > rank(&module) {
                upward
                    .push(format!("{} uses crate::{used}, a later layer", file.strip_prefix(src()).unwrap().display()));
            }
            edges.entry(module.clone()).or_default().push(used);
        }
    }
    assert!(upward.is_empty(), "layering broken (lib.rs order is the layering):\n{}", upward.join("\n"));
    // The property the test above implies, checked directly: no cycle.
    for start in edges.keys() {
        let mut stack = vec![start.clone()];
        let mut seen = vec![];
        while let Some(m) = stack.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                assert!(next != start, "module cycle through {start}");
                if !seen.contains(next) {
                    seen.push(next.clone());
                    stack.push(next.clone());
                }
            }
        }
    }
    // And the test can fail: an upward use is seen as one.
    assert_eq!(
        uses("use crate::rules::Rule; crate::kinds::Kind", &layers),
        vec!["rules".to_owned(), "kinds".to_owned()]
    );
}

#[test]
fn only_kinds_and_rules_know_property_names() {
    let macros = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tap-macros/src");
    let mut outside: Vec<PathBuf> = files(&src())
        .into_iter()
        .filter(|f| !f.starts_with(src().join("kinds")) && !f.starts_with(src().join("rules")))
        .collect();
    outside.extend(files(&macros));
    assert!(outside.len() > 8, "{outside:?}");
    // Words that are not property names where they appear: `#[stack(name = "..")]`,
    // `#[tap::moved(from = "..")]`.
    let allowed = [("tap-macros/src/parse.rs", "name"), ("tap-macros/src/ast.rs", "from")];
    let mut found = Vec::new();
    for kind in tap_core::Kind::ALL {
        for prop in kind.props() {
            let quoted = format!("\"{}\"", prop.name);
            for file in &outside {
                let text = std::fs::read_to_string(file).unwrap();
                let exempt = allowed.iter().any(|(f, p)| file.ends_with(f) && *p == prop.name);
                if text.contains(&quoted) && !exempt {
                    found.push(format!("{} names {}'s property {quoted}", file.display(), kind.word()));
                }
            }
        }
    }
    found.dedup();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Every kind's schema is complete where the rules and synthesis rely on it.
#[test]
fn every_kind_declares_what_its_rules_need() {
    for kind in tap_core::Kind::ALL {
        if *kind == tap_core::Kind::Raw {
            continue; // its properties, attributes and names come from the registry schemas
        }
        let spec = kind.spec();
        assert_eq!(kind.word(), spec.word);
        assert!(!spec.props.is_empty() && !spec.about.is_empty(), "{}", spec.word);
        // IAM statements name the resource's ARN: a kind with access levels says what it is.
        assert!(spec.levels.is_empty() || spec.arn.is_some(), "{} has access levels but no ARN", spec.word);
        // OUT-001 suggests the first attribute: an exported kind has one.
        assert!(
            spec.exported == tap_core::kinds::schema::Exported::Never || !spec.attrs.is_empty(),
            "{} is exported but has no attribute",
            spec.word
        );
        // A kind that holds data says what happens to it: it has a `removal` property.
        assert_eq!(spec.holds_data(), spec.prop("removal").is_some(), "{}: `keep` and `removal` disagree", spec.word);
        assert_eq!(
            spec.holds_data(),
            spec.prop("disposable").is_some(),
            "{}: `keep` and `disposable` disagree",
            spec.word
        );
        // A physical name the stack chooses (optional, so TAP-NAME-001 reports it missing)
        // has naming limits; an output's required `name` is not a physical name.
        assert_eq!(
            spec.naming.is_some(),
            spec.prop("name").is_some_and(|p| !p.required),
            "{}: naming and `name` disagree",
            spec.word
        );
    }
}

/// The stages inside `kinds/`, in pipeline order: each uses only those before it.
const STAGES: [&str; 5] = ["schema", "value", "decode", "view", "emit"];

/// The stages a file's code (comments left out) names, as `super::<stage>` or
/// `crate::kinds::<stage>`, or through a name only that stage defines.
fn stages_used(text: &str) -> Vec<&'static str> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    let mut out = Vec::new();
    for stage in STAGES {
        let named = [format!("super::{stage}"), format!("kinds::{stage}")].iter().any(|p| code.contains(p.as_str()));
        // What kind files import through `kinds::prelude` is the synthesis context and the
        // decoder's traits; a rule naming the prelude reaches both.
        let through = match stage {
            "decode" => ["Decoder", "FromValue", "kinds::prelude"].iter().any(|n| code.contains(n)),
            "emit" => ["SynthCx", "kinds::prelude"].iter().any(|n| code.contains(n)),
            _ => false,
        };
        if named || through {
            out.push(stage);
        }
    }
    out
}

#[test]
fn the_stages_of_kinds_form_layers() {
    let mut broken = Vec::new();
    for (rank, stage) in STAGES.iter().enumerate() {
        // A stage is a file, or a folder of them (the decoder, split by value shape).
        let dir = src().join("kinds").join(stage);
        let stage_files =
            if dir.is_dir() { files(&dir) } else { vec![src().join("kinds").join(format!("{stage}.rs"))] };
        for file in stage_files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in stages_used(&text).into_iter().filter(|u| u != stage) {
                let used_rank = STAGES.iter().position(|s| *s == used).unwrap();
                if used_rank > rank {
                    broken.push(format!(
                        "{} uses kinds::{used}, a later stage",
                        file.strip_prefix(src()).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Rules, analyses and the reports (every file of `report/`) read the checked view only: never the decoder (that is
/// validation's) nor the synthesis context (that is the template writer's).
#[test]
fn rules_read_only_the_checked_view() {
    let mut readers = files(&src().join("rules"));
    readers.push(src().join("analysis.rs"));
    readers.extend(files(&src().join("report")));
    let mut broken = Vec::new();
    for file in &readers {
        let text = std::fs::read_to_string(file).unwrap();
        for used in stages_used(&text) {
            if used == "decode" || used == "emit" {
                broken.push(format!("{} reaches kinds::{used}", file.strip_prefix(src()).unwrap().display()));
            }
        }
    }
    assert!(broken.is_empty() && readers.len() > 25, "{}", broken.join("\n"));
    // The test can fail: each way in is seen.
    assert_eq!(stages_used("use crate::kinds::emit::SynthCx;"), vec!["emit"]);
    assert_eq!(stages_used("use crate::kinds::decode::{Decoder};"), vec!["decode"]);
    assert_eq!(stages_used("use crate::kinds::prelude::*;"), vec!["decode", "emit"]);
    assert_eq!(stages_used("// see kinds::emit\nuse crate::kinds::view::Checked;"), vec!["view"]);
}

/// Every rule is registered once, in `rules!`: each file of `rules/` is named there, and its
/// file name is its id (`net_002_ingress.rs` holds TAP-NET-002).
#[test]
fn every_rule_file_is_registered_under_its_id() {
    let mut files: Vec<String> = files(&src().join("rules"))
        .iter()
        .filter_map(|f| f.file_stem()?.to_str().map(str::to_owned))
        .filter(|f| f != "mod")
        .collect();
    files.sort();
    let mut registered: Vec<String> = tap_core::rules::MODULES.iter().map(|m| m.to_string()).collect();
    registered.sort();
    assert_eq!(files, registered, "a file in rules/ is not in `rules!` (or the reverse)");
    assert_eq!(tap_core::rules::MODULES.len(), tap_core::rules::ALL.len());
    for (module, rule) in tap_core::rules::MODULES.iter().zip(tap_core::rules::ALL) {
        let mut parts = module.splitn(3, '_');
        let (area, number) = (parts.next().unwrap(), parts.next().unwrap());
        assert_eq!(rule.id, format!("TAP-{}-{number}", area.to_uppercase()), "rules/{module}.rs");
    }
}

/// A kind's CloudFormation type cannot be written raw: the raw form would bypass the kind's
/// rules. Every kind that deploys one resource type names it (`Spec::cfn_type`), and the
/// raw-resource check refuses it.
#[test]
fn a_kinds_cloudformation_type_cannot_be_written_raw() {
    use tap_core::Kind;
    // What these write is not one CloudFormation type of their own: an output is a template
    // output, an existing resource writes nothing, a raw resource is any type, and a
    // database user is a custom resource (`Custom::DatabaseUser`) only tap's setup serves.
    let without = [Kind::Output, Kind::Existing, Kind::Raw, Kind::DatabaseUser];
    for kind in Kind::ALL {
        let spec = kind.spec();
        match spec.cfn_type {
            Some(ty) => {
                let refused = tap_core::kinds::raw::refused(ty);
                assert!(refused.is_some(), "{ty}, the `{}` kind's type, is accepted as a raw resource", spec.word);
            }
            None => assert!(without.contains(kind), "the `{}` kind names no `cfn_type`", spec.word),
        }
    }
    assert!(tap_core::kinds::raw::refused("AWS::Events::Rule").is_none(), "a type with no kind stays writable");
}

/// The crate the macro runs is the checker only: what Lambda code runs (handler contracts,
/// handles on the AWS SDK, PostgreSQL) is tap-runtime's, so tap-core has no optional
/// dependency and none of the run-time ones, and none of its files names them.
#[test]
fn the_checker_builds_without_run_time_code() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or_default();
    let deps = deps.split("\n[").next().unwrap_or_default();
    assert!(!deps.contains("optional"), "tap-core has an optional dependency:\n{deps}");
    let run_time = ["aws-sdk", "aws-config", "lambda_runtime", "aws_lambda_events", "tokio", "postgres", "hyper"];
    for dep in run_time {
        assert!(!deps.contains(dep), "tap-core depends on {dep}, which is run-time code's");
    }
    for file in files(&src()) {
        let text = std::fs::read_to_string(&file).unwrap();
        for name in ["aws_sdk_", "lambda_runtime::", "tokio_postgres::"] {
            assert!(!text.contains(name), "{} names {name}", file.display());
        }
    }
}
