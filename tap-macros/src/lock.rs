//! The lock of kept identities beside a stack's source: read, checked and written by the
//! expansion (what the lock means is tap-core's, `tap_core::lock`).

/// Checks the stack against its lock of kept identities (`tap_core::lock`), beside the
/// stack's source, and writes the lock when the stack added a kept resource (never in a
/// unit test, never for a dependency, and never when `TAP_LOCKED` makes it read-only).
/// Returns the lock's findings and its path, when there is a lock to track.
pub fn lock(
    checked: &tap_core::Checked,
    root: &std::path::Path,
    clean: bool,
) -> (Vec<tap_core::Finding>, Option<std::path::PathBuf>) {
    // A dependency's stack (cargo builds it as a package that is not primary, from a
    // directory that may be read-only) is its author's to lock, not this build's.
    if !proc_macro::is_available() || std::env::var_os("CARGO_PRIMARY_PACKAGE").is_none() {
        return (Vec::new(), None);
    }
    let path = root.join(tap_core::lock::file_name(&checked.name));
    let old = std::fs::read_to_string(&path).ok();
    let verdict = tap_core::lock::check(checked, old.as_deref(), clean, std::env::var_os("TAP_LOCKED").is_some());
    if let Some(text) = &verdict.write {
        // A lock that cannot be written is said: the next build would miss it.
        if let Err(why) = tap_core::write_if_changed(&path, text.as_bytes()) {
            let id = tap_core::LockError::Stale.id();
            let message = format!("cannot write {}: {why}", path.display());
            return (
                vec![tap_core::Finding::new(id, tap_core::Loc::stack(), message, "make the directory writable")],
                None,
            );
        }
    }
    (verdict.findings, path.is_file().then_some(path))
}
