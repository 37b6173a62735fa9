//! SARIF 2.1.0, the format code hosts read to show findings inline on a change: what
//! `#[stack]` writes on every expansion to `<target>/tap/<Stack>/findings.sarif` (a build
//! that fails too: its errors are the results), and what `cargo tap findings` reads back.
//! One set of types on both sides, as for `stack.json`.
//!
//! Every rule, malformed-input id and acknowledgement error is a `reportingDescriptor`,
//! with the guide's text as its help; every finding is a `result` on the file, line and
//! column of its token; an acknowledged finding is a result with a `suppression` whose
//! justification is the acknowledgement's reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{self, Dsl, Finding};
use crate::rules;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const VERSION: &str = "2.1.0";
/// The base the result's file paths are relative to: the workspace a code host checks out.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub version: String,
    pub runs: Vec<Run>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    /// `%SRCROOT%` -> the workspace directory the build ran in (a `file://` URI).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    /// rustc counts columns in characters.
    pub column_kind: String,
    pub results: Vec<SarifResult>,
    pub properties: RunProperties,
}

/// Which stack of which package the run is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunProperties {
    pub stack: String,
    pub package: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: String,
    pub version: String,
    pub information_uri: String,
    pub rules: Vec<Descriptor>,
}

/// A `reportingDescriptor`: one rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub id: String,
    pub name: String,
    pub short_description: Message,
    pub full_description: Message,
    pub help: Help,
    pub default_configuration: Configuration,
    pub properties: DescriptorProperties,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescriptorProperties {
    /// Whether a resource may acknowledge it, and why (the guide's line).
    pub acknowledgeable: String,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    pub level: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: String,
    pub message: Message,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<String>,
}

/// One-based lines and columns; the end column is the one after the region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    /// `inSource`: written in the stack's source, next to the resource.
    pub kind: String,
    pub justification: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Where a token is: a file relative to the workspace, and its region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub region: Region,
}

impl Place {
    fn location(&self) -> Location {
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: self.file.clone(), uri_base_id: Some(SRCROOT.to_owned()) },
                region: self.region.clone(),
            },
        }
    }
}

/// One thing the stack's check said: an error, or a finding acknowledged with a reason
/// (written where the acknowledgement is).
#[derive(Clone, Debug, PartialEq)]
pub struct Reported {
    pub id: String,
    pub message: String,
    pub fix: String,
    pub place: Option<Place>,
    pub acknowledged: Option<(String, Option<Place>)>,
}

impl Reported {
    /// A finding the build reports as an error, at `place`.
    pub fn error(finding: &Finding, place: Option<Place>) -> Reported {
        Reported {
            id: finding.id.to_owned(),
            message: finding.message.clone(),
            fix: finding.fix.clone(),
            place,
            acknowledged: None,
        }
    }
}

/// Every id a result may carry, in a fixed order (a result's `ruleIndex` points into it):
/// the rules, then the malformed-input ids, the acknowledgement errors, the lock's, the app's.
pub fn descriptors() -> Vec<Descriptor> {
    let mut out: Vec<Descriptor> = rules::ALL.iter().map(|r| rule(r)).collect();
    out.extend(finding::non_rule_ids().map(|e| plain(e.id, e.title, e.fix, e.family.tag())));
    out
}

fn rule(r: &rules::Rule) -> Descriptor {
    let why = r.explanation.split_whitespace().collect::<Vec<_>>().join(" ");
    let ack = r.acknowledge.describe();
    Descriptor {
        id: r.id.to_owned(),
        name: name_of(r.title),
        short_description: Message { text: r.title.to_owned() },
        full_description: Message { text: format!("Prevents {}.", r.mistake) },
        help: Help {
            text: format!("{why}\nFix: {}\nAcknowledgeable: {ack}", r.fix),
            markdown: format!(
                "**Prevents:** {}\n\n**Why:** {why}\n\n**Fix:** {}\n\n**Acknowledgeable:** {ack}\n\n`cargo tap explain {}`",
                r.mistake, r.fix, r.id
            ),
        },
        default_configuration: Configuration { level: "error".to_owned() },
        properties: DescriptorProperties { acknowledgeable: ack, tags: vec!["security".to_owned(), "infrastructure".to_owned()] },
    }
}

fn plain(id: &str, title: &str, fix: &str, tag: &str) -> Descriptor {
    Descriptor {
        id: id.to_owned(),
        name: name_of(title),
        short_description: Message { text: title.to_owned() },
        full_description: Message { text: format!("{title}.") },
        help: Help { text: format!("Fix: {fix}"), markdown: format!("**Fix:** {fix}") },
        default_configuration: Configuration { level: "error".to_owned() },
        properties: DescriptorProperties {
            acknowledgeable: "no: not a finding about the stack".to_owned(),
            tags: vec![tag.to_owned()],
        },
    }
}

/// A title as an identifier (`NoEndpointIsReachable..`): SARIF's `name`.
fn name_of(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The log of one stack's check. `srcroot`: the workspace directory (absolute).
pub fn log(stack: &str, package: &str, srcroot: &std::path::Path, reported: &[Reported]) -> Log {
    let rules = descriptors();
    let results = reported
        .iter()
        .map(|r| {
            // An id no descriptor has (a handler-contract id) is reported as a syntax error.
            let index = rules.iter().position(|d| d.id == r.id).unwrap_or_else(|| {
                rules.iter().position(|d| d.id == Dsl::Syntax.id()).expect("TAP-DSL-009 is a descriptor")
            });
            let text = if r.fix.is_empty() { r.message.clone() } else { format!("{} Fix: {}", r.message, r.fix) };
            SarifResult {
                rule_id: rules[index].id.clone(),
                rule_index: index,
                level: "error".to_owned(),
                message: Message { text },
                locations: r.place.iter().map(Place::location).collect(),
                suppressions: r
                    .acknowledged
                    .iter()
                    .map(|(reason, at)| Suppression {
                        kind: "inSource".to_owned(),
                        justification: reason.clone(),
                        location: at.as_ref().map(Place::location),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut root = srcroot.display().to_string();
    if !root.ends_with('/') {
        root.push('/');
    }
    Log {
        schema: SCHEMA.to_owned(),
        version: VERSION.to_owned(),
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "tap".to_owned(),
                    version: env!("CARGO_PKG_VERSION").to_owned(),
                    information_uri: "https://crates.io/crates/tap-iac".to_owned(),
                    rules,
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT.to_owned(),
                ArtifactLocation { uri: format!("file://{root}"), uri_base_id: None },
            )]),
            column_kind: "unicodeCodePoints".to_owned(),
            results,
            properties: RunProperties { stack: stack.to_owned(), package: package.to_owned() },
        }],
    }
}

impl Log {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a SARIF log always serialises") + "\n"
    }
    pub fn from_json(text: &str) -> Result<Log, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// The file of a stack's SARIF log: `<target>/tap/<stack>/findings.sarif`.
pub fn path(target: &std::path::Path, stack: &str) -> std::path::PathBuf {
    target.join("tap").join(stack).join("findings.sarif")
}

/// The cargo target directory of the compilation this runs in (a proc macro runs inside
/// rustc): the nearest directory above rustc's `--out-dir` where cargo keeps its
/// `.rustc_info.json` (a build for a `--target` triple also marks `<target>/<triple>` with a
/// `CACHEDIR.TAG`, so that tag alone is the fallback). `None` outside a cargo build (an
/// IDE's expansion): nothing is written.
pub fn compile_target_dir() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out-dir")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--out-dir=").map(str::to_owned)))?;
    let out = std::path::Path::new(&out);
    let out = if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir().ok()?.join(out) };
    let marked = |marker: &str| out.ancestors().find(|d| d.join(marker).is_file()).map(std::path::Path::to_path_buf);
    marked(".rustc_info.json").or_else(|| marked("CACHEDIR.TAG"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_reported_as_its_finding() {
        let f = Finding::new("TAP-NAME-001", crate::Loc::stack(), "bucket `a` has no suffix", "add `{suffix}`");
        let r = Reported::error(&f, None);
        assert_eq!(
            (r.id.as_str(), r.message.as_str(), r.fix.as_str()),
            ("TAP-NAME-001", "bucket `a` has no suffix", "add `{suffix}`")
        );
        assert!(r.acknowledged.is_none());
    }

    #[test]
    fn every_id_has_one_descriptor_and_names_are_identifiers() {
        let d = descriptors();
        let mut ids: Vec<&str> = d.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), d.len());
        assert!(d.iter().all(|d| d.name.chars().all(|c| c.is_ascii_alphanumeric())));
    }
}
