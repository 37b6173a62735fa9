//! The security scan: checkov (PyPI, pinned in requirements-dev.txt; `CHECKOV` names the
//! executable) on every template the tests synthesise: the product catalog in both
//! lifecycles, the example worker, the reports, orders, webhooks and status stacks. Every failure must be
//! listed in `tap::scan::ACCEPTED` with its reason, and every listed entry must still
//! fail somewhere, so the list is exactly what tap accepts. Without checkov this fails; it
//! does not skip.

#[path = "stacks/events.rs"]
mod events;
#[path = "stacks/orders.rs"]
mod orders;
#[path = "stacks/status.rs"]
mod status;
#[path = "stacks/webhooks.rs"]
mod webhooks;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value as Json;

fn templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (lifecycle, template, _) in tap_stack::product_catalog().synth_all().unwrap() {
        out.push((format!("product-catalog-{}", lifecycle.dir()), template.to_json()));
    }
    for (name, stack) in [
        ("sqs-worker", sqs_worker::sqs_worker()),
        ("reports", events::reports()),
        ("orders", orders::orders()),
        ("webhooks", webhooks::webhooks()),
        ("status", status::status()),
    ] {
        out.push((name.to_owned(), stack.synth().unwrap_or_else(|f| panic!("{name}: {f}")).to_json()));
    }
    out
}

#[test]
fn every_template_passes_checkov_but_for_the_accepted_checks() {
    let dir = std::env::temp_dir().join(format!("tap-checkov-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let templates = templates();
    for (name, json) in &templates {
        std::fs::write(dir.join(format!("{name}.json")), json).unwrap();
    }
    let checkov = std::env::var("CHECKOV").unwrap_or_else(|_| "checkov".to_owned());
    // One process for every template: checkov takes seconds to load its checks.
    let out = Command::new(&checkov)
        .args([
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
            "--directory",
        ])
        .arg(&dir)
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run checkov ({e}); install it with `scripts/test` (or `pip install -r requirements-dev.txt`)"
            )
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("checkov's report is not JSON ({e}):\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr))
    });
    // One framework gives one report object (several would give a list).
    let report = if report.is_array() { report[0].clone() } else { report };
    let passed = report["summary"]["passed"].as_u64().unwrap_or(0);
    assert!(passed > 100, "checkov passed only {passed} checks: did it read the templates?\n{stdout}");

    let mut unaccepted = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut failed_per_file: BTreeSet<String> = BTreeSet::new();
    for failure in report["results"]["failed_checks"].as_array().into_iter().flatten() {
        let check = failure["check_id"].as_str().unwrap_or_default();
        let resource = failure["resource"].as_str().unwrap_or_default();
        let ty = resource.split('.').next().unwrap_or_default();
        let file = failure["file_path"].as_str().unwrap_or_default();
        failed_per_file.insert(file.to_owned());
        match tap::scan::accepted(check, ty) {
            Some(_) => {
                seen.insert((check.to_owned(), ty.to_owned()));
            }
            None => unaccepted.push(format!(
                "{check} on {resource} in {file}: {}",
                failure["check_name"].as_str().unwrap_or_default()
            )),
        }
    }
    assert!(unaccepted.is_empty(), "checkov failures tap does not accept (fix the template, or list the check in tap-core/src/scan.rs with its reason):\n{}", unaccepted.join("\n"));
    let stale: Vec<String> = tap::scan::ACCEPTED
        .iter()
        .filter(|a| !seen.contains(&(a.check.to_owned(), a.on.to_owned())))
        .map(|a| format!("{} on {}", a.check, a.on))
        .collect();
    assert!(
        stale.is_empty(),
        "accepted checks no template fails any more (remove them from tap-core/src/scan.rs): {stale:?}"
    );
    eprintln!("checkov: {passed} passed; {} accepted kinds of failure over {} templates", seen.len(), templates.len());
}
