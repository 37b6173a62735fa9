//! `cargo tap explain TAP-…`: a rule's guide entry in the terminal (what it prevents, why,
//! the fix, the seed's line), from the same metadata the guide is generated from.

use serde_json::{json, Value as Json};

/// The entry for `id`, as text and as JSON; `None` for an id tap does not have.
pub fn explain(id: &str) -> Option<(String, Json)> {
    let id = id.trim().to_ascii_uppercase();
    let id = id.trim_end_matches(':');
    if let Some(rule) = tap_core::rules::ALL.iter().find(|r| r.id == id) {
        let why = rule.explanation.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut text = format!("{}: {}\n\nPrevents: {}\n", rule.id, rule.title, rule.mistake);
        if let Some(l) = rule.lifecycle {
            text.push_str(&format!("Applies to: stacks whose deployments may be {}\n", l.dir()));
        }
        if !rule.seed.is_empty() {
            text.push_str(&format!("Seed:      {}\n", rule.seed));
        }
        text.push_str(&format!("\nWhy: {}\n\nFix: {}\n", wrap(&why), wrap(rule.fix)));
        let j = json!({ "id": rule.id, "title": rule.title, "prevents": rule.mistake, "seed": rule.seed, "why": why, "fix": rule.fix, "lifecycle": rule.lifecycle.map(|l| l.dir()) });
        return Some((text, j));
    }
    if let Some(dsl) = tap_core::Dsl::ALL.iter().find(|d| d.id() == id) {
        let text = format!("{}: {}\n\nMalformed input: not a mistake of the seed but of the DSL itself, reported at the offending token.\n\nFix: {}\n", dsl.id(), dsl.title(), wrap(dsl.fix()));
        return Some((text, json!({ "id": dsl.id(), "title": dsl.title(), "fix": dsl.fix() })));
    }
    if let Some(r) = tap_core::contract::ALL.iter().find(|r| r.id == id) {
        let text = format!(
            "{} (handler contract): a type error in the function's code\n\nPrevents: {}\n\nWhy: {}\n\nFix: {}\n",
            r.id,
            r.mistake,
            wrap(r.why),
            wrap(r.fix)
        );
        return Some((text, json!({ "id": r.id, "handler": true, "prevents": r.mistake, "why": r.why, "fix": r.fix })));
    }
    None
}

/// Every id `explain` knows, for the message about an unknown one.
pub fn ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = tap_core::rules::ALL
        .iter()
        .map(|r| r.id)
        .chain(tap_core::Dsl::ALL.iter().map(|d| d.id()))
        .chain(tap_core::contract::ALL.iter().map(|r| r.id))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Words wrapped at 88 columns, continuation lines indented like the first.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + word.len() > 84 {
            out.push_str("\n     ");
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_dsl_and_handler_id_has_an_entry() {
        for id in ids() {
            let (text, json) = explain(id).unwrap_or_else(|| panic!("{id}"));
            assert!(text.starts_with(id), "{text}");
            assert!(text.contains("Fix:"));
            assert_eq!(json["id"], id);
        }
        assert!(explain("tap-iam-001").is_some(), "case-insensitive, as people type it");
        assert!(explain("TAP-XYZ-999").is_none());
    }
}
