//! `cargo tap explain TAP-…`: a rule's guide entry in the terminal (what it prevents, why,
//! the fix, the seed's line), from the same metadata the guide is generated from.

use serde::Serialize;
use tap_core::finding::Family;

/// One entry, as `--json` prints it; the text form is [`Entry::to_text`].
#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: &'static str,
    /// The rule's title; a handler-contract rule has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// What kind of id it is.
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevents: Option<&'static str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub seed: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub why: String,
    pub fix: &'static str,
    /// The lifecycle whose stacks the rule runs on; none: every stack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<tap_core::Lifecycle>,
    /// Whether a resource may acknowledge the rule's findings (`#[tap::expect]`), and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledgeable: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A rule over the stack.
    Rule,
    /// Malformed DSL input.
    Dsl,
    /// A wrong acknowledgement (`#[tap::expect]`).
    Acknowledgement,
    /// The lock of kept identities (`<Stack>.tap.lock`).
    Lock,
    /// The references between the stacks of one app (`#[tap::app]`).
    App,
    /// A type error in a function's code (the handler contract).
    Handler,
}

/// The entry for `id`; `None` for an id tap does not have.
pub fn explain(id: &str) -> Option<Entry> {
    let id = id.trim().to_ascii_uppercase();
    let id = id.trim_end_matches(':');
    if let Some(rule) = tap_core::rules::ALL.iter().find(|r| r.id == id) {
        return Some(Entry {
            id: rule.id,
            title: Some(rule.title),
            source: Source::Rule,
            prevents: Some(rule.mistake),
            seed: rule.seed,
            why: rule.explanation.split_whitespace().collect::<Vec<_>>().join(" "),
            fix: rule.fix,
            lifecycle: rule.lifecycle,
            acknowledgeable: Some(rule.acknowledge.describe()),
        });
    }
    // The registries of what is not a rule: an id, a title and a fix each.
    if let Some(e) = tap_core::finding::non_rule_ids().find(|e| e.id == id) {
        let source = match e.family {
            Family::Dsl => Source::Dsl,
            Family::Acknowledgement => Source::Acknowledgement,
            Family::Lock => Source::Lock,
            Family::App => Source::App,
        };
        return Some(Entry {
            id: e.id,
            title: Some(e.title),
            source,
            prevents: None,
            seed: "",
            why: String::new(),
            fix: e.fix,
            lifecycle: None,
            acknowledgeable: None,
        });
    }
    let r = tap_runtime::contract::ALL.iter().find(|r| r.id == id)?;
    Some(Entry {
        id: r.id,
        title: None,
        source: Source::Handler,
        prevents: Some(r.mistake),
        seed: "",
        why: r.why.to_owned(),
        fix: r.fix,
        lifecycle: None,
        acknowledgeable: None,
    })
}

impl Entry {
    pub fn to_text(&self) -> String {
        let mut text = match self.source {
            Source::Rule => format!("{}: {}\n\nPrevents: {}\n", self.id, self.title.unwrap_or_default(), self.prevents.unwrap_or_default()),
            Source::Dsl => format!(
                "{}: {}\n\nMalformed input: not a mistake of the seed but of the DSL itself, reported at the offending token.\n",
                self.id,
                self.title.unwrap_or_default()
            ),
            Source::Acknowledgement => format!(
                "{}: {}\n\nA wrong acknowledgement: `#[tap::expect(rule, reason = ..)]` names a rule that can be acknowledged here, a finding that is there, and a reason of its own.\n",
                self.id,
                self.title.unwrap_or_default()
            ),
            Source::Lock => format!(
                "{}: {}\n\nThe lock of kept identities: `<Stack>.tap.lock` beside the stack lists what its durable deployments keep; a rename or removal is said in the stack.\n",
                self.id,
                self.title.unwrap_or_default()
            ),
            Source::App => format!(
                "{}: {}\n\nThe stacks of one app: a stack names another's resource as `data::orders` inside one `#[tap::app]` module; the build exports it from one and imports it into the other.\n",
                self.id,
                self.title.unwrap_or_default()
            ),
            Source::Handler => format!(
                "{} (handler contract): a type error in the function's code\n\nPrevents: {}\n",
                self.id,
                self.prevents.unwrap_or_default()
            ),
        };
        if let Some(l) = self.lifecycle {
            text.push_str(&format!("Applies to: stacks whose deployments may be {}\n", l.dir()));
        }
        if !self.seed.is_empty() {
            text.push_str(&format!("Seed:      {}\n", self.seed));
        }
        if !self.why.is_empty() {
            text.push_str(&format!("\nWhy: {}\n", wrap(&self.why)));
        }
        text.push_str(&format!("\nFix: {}\n", wrap(self.fix)));
        if let Some(a) = &self.acknowledgeable {
            text.push_str(&format!("\nAcknowledgeable: {}\n", wrap(a)));
        }
        text
    }
}

/// Every id `explain` knows, for the message about an unknown one.
pub fn ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = tap_core::rules::ALL
        .iter()
        .map(|r| r.id)
        .chain(tap_core::finding::non_rule_ids().map(|e| e.id))
        .chain(tap_runtime::contract::ALL.iter().map(|r| r.id))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Words wrapped at 88 columns after the 5-column label, continuation lines indented under
/// the first.
fn wrap(text: &str) -> String {
    let options = textwrap::Options::new(84).subsequent_indent("     ");
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_dsl_and_handler_id_has_an_entry() {
        for id in ids() {
            let entry = explain(id).unwrap_or_else(|| panic!("{id}"));
            let text = entry.to_text();
            assert!(text.starts_with(id), "{text}");
            assert!(text.contains("Fix:"));
            // The wrapped paragraphs (why, fix) fit 90 columns, unless one word is longer.
            let wrapped = text.lines().filter(|l| ["Why: ", "Fix: ", "     "].iter().any(|p| l.starts_with(p)));
            // (The acknowledgement line is wrapped the same way, under a longer label.)
            assert!(wrapped.clone().count() > 0 && wrapped.clone().all(|l| l.chars().count() <= 90), "{text}");
            assert_eq!(serde_json::to_value(&entry).unwrap()["id"], id);
        }
        assert!(explain("tap-iam-001").is_some(), "case-insensitive, as people type it");
        assert!(explain("TAP-XYZ-999").is_none());
    }
}
