//! `tests/ui/GUIDE.md` is generated from the rules' own metadata and the cases in
//! `tests/ui/`; this test fails when it is out of date. Rewrite it with
//! `TAP_BLESS=1 cargo test --test guide`.

use std::collections::BTreeMap;
use std::path::Path;

const DSL: &[(&str, &str, &str)] = &[
    ("TAP-DSL-001", "Unknown resource kind", "Use one of the kinds listed in the message (the closest is suggested)."),
    ("TAP-DSL-002", "Unknown property", "Use one of the kind's properties (the closest is suggested)."),
    ("TAP-DSL-003", "Wrong value type or value out of range", "Write a value of the type the property expects."),
    ("TAP-DSL-004", "Duplicate binding, property or physical name", "Give each resource its own binding and name."),
    ("TAP-DSL-005", "Reference to an undeclared resource", "Declare the resource (before or after: order does not matter) or fix the name."),
    ("TAP-DSL-006", "Reference of the wrong kind", "Refer to a resource of the kind the property expects."),
    ("TAP-DSL-007", "Missing required property", "Add the property the message names."),
    ("TAP-DSL-008", "Unknown attribute or access level", "Use one of the attributes or access levels listed."),
    ("TAP-DSL-009", "Syntax: not a resource declaration", "Write `let name = resource!(Kind { property: value, .. });`."),
];

fn cases() -> BTreeMap<String, Vec<String>> {
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut files: Vec<_> = std::fs::read_dir(&ui)
        .unwrap()
        .flat_map(|area| std::fs::read_dir(area.unwrap().path()).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "stderr"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let case = f.strip_prefix(&ui).unwrap().with_extension("rs").display().to_string();
        for line in text.lines().filter_map(|l| l.strip_prefix("error: ")) {
            let id = line.split(':').next().unwrap().to_owned();
            let list = by_id.entry(id).or_default();
            if !list.contains(&case) {
                list.push(case.clone());
            }
        }
    }
    by_id
}

fn render() -> String {
    let cases = cases();
    let links = |id: &str| -> String {
        cases.get(id).map(|c| c.iter().map(|c| format!("[`{c}`]({c})")).collect::<Vec<_>>().join(", ")).unwrap_or_else(|| "(none)".into())
    };
    let mut s = String::from(
        "# The tap teaching guide\n\n\
         Generated from the rules in `tap-core/src/rules/` and the cases in this folder by\n\
         `TAP_BLESS=1 cargo test --test guide`; do not edit by hand.\n\n\
         Each rule makes one documented mistake of the seed stack (a CDK Python stack for a\n\
         product-catalog pipeline) a compile error. Each case here repeats that mistake in tap's DSL;\n\
         its `.stderr` is what the compiler says: the rule id, what is wrong, and `fix:`.\n\n\
         The mistakes of the seed's Lambda handler itself (13: no error handling, 20: base64 not\n\
         decoded) are prevented by the processor's typed handler contract, not by stack rules.\n\n",
    );
    for rule in tap::rules::ALL {
        s.push_str(&format!(
            "## {}: {}\n\n- **Prevents:** {}\n- **Seed:** `{}`\n- **Why:** {}\n- **Fix:** {}\n- **Cases:** {}\n\n",
            rule.id,
            rule.title,
            rule.mistake,
            rule.seed,
            rule.explanation.split_whitespace().collect::<Vec<_>>().join(" "),
            rule.fix,
            links(rule.id)
        ));
    }
    s.push_str("## Malformed input\n\nThese are not mistakes of the seed but of the DSL itself; each is a compile error at the offending token, never a panic.\n\n| id | what | fix | cases |\n|---|---|---|---|\n");
    for (id, what, fix) in DSL {
        s.push_str(&format!("| {id} | {what} | {fix} | {} |\n", links(id)));
    }
    s.push_str(
        "\n## cfn-lint\n\nThe product-catalog template passes cfn-lint with no errors and no warnings; \
         `tests/integration/tests/cfn_lint.rs` fails on either. No warning is suppressed.\n",
    );
    s
}

#[test]
fn guide_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/GUIDE.md");
    let want = render();
    if std::env::var_os("TAP_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "tests/ui/GUIDE.md is out of date; run TAP_BLESS=1 cargo test --test guide");
}

#[test]
fn every_rule_and_dsl_error_has_a_case() {
    let cases = cases();
    for rule in tap::rules::ALL {
        assert!(cases.contains_key(rule.id), "no compile-fail case shows {}", rule.id);
    }
    for (id, _, _) in DSL {
        assert!(cases.contains_key(*id), "no compile-fail case shows {id}");
    }
}
