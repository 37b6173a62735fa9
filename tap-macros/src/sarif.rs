//! The stack's findings as SARIF, written on every expansion (a failing one too) to
//! `<target>/tap/<Stack>/findings.sarif`: the one place that knows each finding's file,
//! line and column is the compiler, so the macro writes it. What SARIF is, is tap-core's
//! (`tap_core::sarif`); this turns spans into places.

use proc_macro2::Span;
use tap_core::sarif::{self, Place, Region, Reported};
use tap_core::{Acknowledged, Finding};

use crate::lower::Spans;

/// Writes the log, when this runs in a cargo build (not in an IDE's expansion or a unit
/// test). A log that cannot be written is not a compile error: the build's errors are
/// already the user's to read, and a warning cannot be raised on stable.
pub fn write(stack: &str, errors: &[(Finding, Span, Span)], acknowledged: &[Acknowledged], spans: &Spans) {
    if !proc_macro::is_available() {
        return;
    }
    let Some(target) = sarif::compile_target_dir() else { return };
    let root = workspace_root();
    let mut reported: Vec<Reported> =
        errors.iter().map(|(finding, start, end)| Reported::error(finding, place(*start, *end, &root))).collect();
    for a in acknowledged {
        let (start, end) = spans.of(&a.finding.loc);
        let (at_start, at_end) = spans.of(&a.expect);
        let reason = (a.reason.clone(), place(at_start, at_end, &root));
        reported.push(Reported { acknowledged: Some(reason), ..Reported::error(&a.finding, place(start, end, &root)) });
    }
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    let log = sarif::log(stack, &package, &root, &reported);
    let _ = tap_core::write_if_changed(&sarif::path(&target, stack), log.to_json().as_bytes());
}

/// The directory result paths are relative to (SARIF's `%SRCROOT%`): the workspace rustc
/// runs in, which cargo gives paths relative to; for a stack file cargo names by its
/// absolute path (a crate outside the workspace, a generated test crate), the nearest
/// directory above it with a `Cargo.lock`.
fn workspace_root() -> std::path::PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match proc_macro::Span::call_site().local_file() {
        Some(file) if file.is_absolute() => {
            file.ancestors().find(|d| d.join("Cargo.lock").is_file()).map_or(cwd, std::path::Path::to_path_buf)
        }
        _ => cwd,
    }
}

/// The file (relative to [`workspace_root`]) and region of `start..=end`.
fn place(start: Span, end: Span, root: &std::path::Path) -> Option<Place> {
    let (start, end) = (start.unwrap(), end.unwrap().end());
    let file = start.local_file()?;
    let file = file.strip_prefix(root).map(std::path::Path::to_path_buf).unwrap_or(file);
    Some(Place {
        file: file.display().to_string(),
        region: Region {
            start_line: start.line(),
            start_column: start.column(),
            end_line: end.line(),
            end_column: end.column(),
        },
    })
}
