//! `cargo tap findings`: every finding of the crate's stacks, acknowledged or not, on the
//! line it is written on: what `#[stack]` wrote to `<target>/tap/<Stack>/findings.sarif`
//! during a `cargo check` (which this runs), printed for a terminal or as JSON. A stack that
//! does not compile is listed too: its errors are its findings.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::SystemTime;

use anyhow::Context;
use serde::Serialize;
use tap_core::manifest::EmittedStacks;
use tap_core::sarif::{Log, Run, SarifResult};

use crate::project::{self, Select};

/// One finding as `--json` prints it.
#[derive(Debug, PartialEq, Serialize)]
pub struct Row {
    pub stack: String,
    pub package: String,
    pub rule: String,
    /// `error`, or `acknowledged` (with its reason).
    pub status: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Row {
    fn of(run: &Run, r: &SarifResult) -> Row {
        let at = r.locations.first().map(|l| &l.physical_location);
        let reason = r.suppressions.first().map(|s| s.justification.clone());
        Row {
            stack: run.properties.stack.clone(),
            package: run.properties.package.clone(),
            rule: r.rule_id.clone(),
            status: if reason.is_some() { "acknowledged" } else { "error" },
            message: r.message.text.clone(),
            file: at.map(|p| p.artifact_location.uri.clone()),
            line: at.map(|p| p.region.start_line),
            column: at.map(|p| p.region.start_column),
            reason,
        }
    }
    pub fn is_error(&self) -> bool {
        self.reason.is_none()
    }
}

/// Checks the crate (its errors are not printed: they are the findings) and reads the logs
/// of its stacks that this check wrote, or that its build last emitted.
pub fn findings(sel: &Select) -> anyhow::Result<Vec<Row>> {
    let manifest = sel.manifest_path.as_deref();
    let started = SystemTime::now();
    let mut check = project::cargo_check(sel);
    let checked_ok = check.stdout(Stdio::null()).stderr(Stdio::null()).status().context("cannot run cargo")?.success();
    let tap_dir = project::target_dir(manifest)?.join("tap");
    match read(&tap_dir, sel, started)? {
        Some(rows) => Ok(rows),
        None if checked_ok => {
            anyhow::bail!("no stack matches: does the crate declare a #[stack] (choose with `--stack` and `-p`)?")
        }
        None => {
            anyhow::bail!("the crate does not compile before any #[stack] is checked: run `cargo check` to see why")
        }
    }
}

/// The rows of every current log under `tap_dir` that `sel` selects; `None` when no log is.
fn read(tap_dir: &Path, sel: &Select, started: SystemTime) -> anyhow::Result<Option<Vec<Row>>> {
    let mut rows = Vec::new();
    let mut found = false;
    for log_path in logs(tap_dir)? {
        let text = std::fs::read_to_string(&log_path).with_context(|| format!("cannot read {}", log_path.display()))?;
        let log = Log::from_json(&text).with_context(|| {
            format!("{} is not a findings log this cargo-tap reads: rebuild the crate", log_path.display())
        })?;
        for run in &log.runs {
            let props = &run.properties;
            let package_ok = sel.package.as_deref().is_none_or(|p| props.package == p);
            let stack_ok = sel.stack.as_deref().is_none_or(|s| props.stack == s);
            if !(package_ok && stack_ok && current(&log_path, started, tap_dir, &props.package, &props.stack)) {
                continue;
            }
            found = true;
            rows.extend(run.results.iter().map(|r| Row::of(run, r)));
        }
    }
    Ok(found.then_some(rows))
}

/// Every `findings.sarif` under `<target>/tap`, sorted.
fn logs(tap_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(tap_dir)
        .with_context(|| format!("no stacks under {}: nothing was checked", tap_dir.display()))?;
    let mut out: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path().join("findings.sarif")).filter(|p| p.is_file()).collect();
    out.sort();
    Ok(out)
}

/// A log is the crate's now when this check wrote it, or its package's last build emitted
/// the stack (a stack that compiled before is not expanded again by an unchanged build).
fn current(log: &Path, started: SystemTime, tap_dir: &Path, package: &str, stack: &str) -> bool {
    // A file's time comes from the kernel's coarse clock, which may lag the one `started`
    // was read from by a tick: a second of slack.
    let since = started.checked_sub(std::time::Duration::from_secs(1)).unwrap_or(started);
    let fresh = std::fs::metadata(log).and_then(|m| m.modified()).is_ok_and(|t| t >= since);
    let emitted: Option<EmittedStacks> =
        std::fs::read_to_string(EmittedStacks::path(tap_dir, package)).ok().and_then(|t| serde_json::from_str(&t).ok());
    fresh || emitted.is_some_and(|e| e.stacks.iter().any(|s| s == stack))
}

/// The terminal form: `file:line:column: error TAP-..: message`, a reason under each
/// acknowledged finding, and the count.
pub fn to_text(rows: &[Row]) -> String {
    let mut s = String::new();
    for r in rows {
        let at = match (&r.file, r.line, r.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            _ => String::new(),
        };
        s.push_str(&format!("{at}{} {}: {}\n", r.status, r.rule, r.message));
        if let Some(reason) = &r.reason {
            s.push_str(&format!("    reason: {reason}\n"));
        }
    }
    let errors = rows.iter().filter(|r| r.is_error()).count();
    let acknowledged = rows.len() - errors;
    s.push_str(&format!("{errors} error(s), {acknowledged} acknowledged\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use tap_core::sarif::{self, Place, Region, Reported};

    fn place(line: usize, column: usize) -> Option<Place> {
        Some(Place {
            file: "src/stack.rs".into(),
            region: Region { start_line: line, start_column: column, end_line: line, end_column: column + 5 },
        })
    }

    /// A failing stack's log: its errors and its acknowledged finding, each on its line; a
    /// log older than the check and not emitted by the package's last build is not listed.
    #[test]
    fn a_log_is_read_back_as_rows_on_their_lines() {
        let dir = std::env::temp_dir().join(format!("tap-findings-{}", std::process::id()));
        let tap = dir.join("tap");
        let started = SystemTime::now();
        let reported = [
            Reported::error(
                &tap_core::Finding::new("TAP-NAME-001", tap_core::Loc::stack(), "bucket `a` has no suffix", "add it"),
                place(12, 15),
            ),
            Reported {
                id: "TAP-PUBLIC-001".into(),
                message: "bucket `p` lets anyone read `*`".into(),
                fix: String::new(),
                place: place(20, 22),
                acknowledged: Some(("a public status page, on purpose".into(), place(9, 19))),
            },
        ];
        let log = sarif::log("Shop", "shop", &dir, &reported);
        tap_core::write_if_changed(&sarif::path(&dir, "Shop"), log.to_json().as_bytes()).unwrap();
        let sel = Select {
            package: Some("shop".into()),
            stack: None,
            lifecycle: None,
            template: vec![],
            manifest_path: None,
        };
        let rows = read(&tap, &sel, started).unwrap().expect("the log is current");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].rule.as_str(), rows[0].line, rows[0].column, rows[0].status),
            ("TAP-NAME-001", Some(12), Some(15), "error")
        );
        assert_eq!(rows[1].reason.as_deref(), Some("a public status page, on purpose"));
        let text = to_text(&rows);
        assert!(
            text.contains("src/stack.rs:12:15: error TAP-NAME-001: bucket `a` has no suffix Fix: add it"),
            "{text}"
        );
        assert!(text.ends_with("1 error(s), 1 acknowledged\n"), "{text}");
        let other = Select { package: Some("billing".into()), ..sel };
        assert!(read(&tap, &other, started).unwrap().is_none(), "another package's stacks are not listed");
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        let sel = Select {
            package: Some("shop".into()),
            stack: None,
            lifecycle: None,
            template: vec![],
            manifest_path: None,
        };
        assert!(read(&tap, &sel, later).unwrap().is_none(), "a stale log is not current");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
