//! The lock of kept identities: `<Stack>.tap.lock`, committed next to the stack's source,
//! lists each resource the stack's durable deployments keep (logical id, type, physical
//! name as written), the way `Cargo.lock` pins what a build resolved.
//!
//! CloudFormation knows a resource by its logical id. Renaming a kept resource's binding, or
//! deleting its declaration, gives CloudFormation a resource to create and one to remove:
//! the create fails on the name the old one still holds (or, with a generated name, makes
//! an empty twin), and the data is left behind, unmanaged. So a build whose stack no longer
//! has a locked resource, or gives it another type or name, fails (TAP-LOCK-001/002) until
//! the source says what happened: `#[tap::moved(from = "Database")]` (the binding keeps the
//! locked id) or `tap::forget!("ArchiveBucket", reason = "..")` (it leaves the stack and is
//! retained in the account; the delete plan lists it). Additions are safe and are written
//! without a word. The lock carries a digest of its lines, so a hand edit is refused
//! (TAP-LOCK-004), and with `TAP_LOCKED` set (CI) a build that would change it fails
//! (TAP-LOCK-005).

use crate::finding::{Finding, LockError};
use crate::kinds::schema::Lifecycle;
use crate::kinds::{Checked, Res};
use crate::model::Loc;

/// The lock's file name for stack `stack`.
pub fn file_name(stack: &str) -> String {
    format!("{stack}.tap.lock")
}

/// One locked resource.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub logical_id: String,
    pub ty: String,
    /// The physical name as written (`orders-{suffix}`), `-` when CloudFormation generates it.
    pub name: String,
    /// Left the stack on purpose, with this reason (`tap::forget!`): retained in the account.
    pub forgotten: Option<String>,
}

impl Entry {
    fn line(&self) -> String {
        let mut line = format!("{}\t{}\t{}", self.logical_id, self.ty, self.name);
        if let Some(reason) = &self.forgotten {
            line.push_str(&format!("\tforgotten: {reason}"));
        }
        line
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    pub stack: String,
    /// Sorted by logical id.
    pub entries: Vec<Entry>,
}

impl Lock {
    /// The file's text: a header, one tab-separated line per entry, the digest.
    pub fn render(&self) -> String {
        let lines: Vec<String> = self.entries.iter().map(Entry::line).collect();
        let mut s = format!(
            "# The resources the durable deployments of stack {} keep, by logical id (written by the build).\n\
             # Renaming or removing one needs a word in the stack: #[tap::moved(from = \"..\")] or tap::forget!(\"..\", reason = \"..\").\n",
            self.stack
        );
        for l in &lines {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str(&format!("# digest {}\n", digest(&self.stack, &lines)));
        s
    }

    /// Reads a lock; a line that is not an entry, or lines that do not match their digest
    /// (an edit by hand), is an error that says so.
    pub fn parse(stack: &str, text: &str) -> Result<Lock, String> {
        let mut entries = Vec::new();
        let mut lines = Vec::new();
        let mut written_digest = None;
        for line in text.lines() {
            if let Some(d) = line.strip_prefix("# digest ") {
                written_digest = Some(d.trim().to_owned());
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.splitn(4, '\t');
            let (Some(id), Some(ty), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("the line `{line}` is not `logical id<TAB>type<TAB>name`"));
            };
            let forgotten = match parts.next() {
                None => None,
                Some(rest) => Some(
                    rest.strip_prefix("forgotten: ")
                        .ok_or_else(|| {
                            format!("the line `{line}` ends with something other than `forgotten: <reason>`")
                        })?
                        .to_owned(),
                ),
            };
            entries.push(Entry { logical_id: id.to_owned(), ty: ty.to_owned(), name: name.to_owned(), forgotten });
            lines.push(line.to_owned());
        }
        match written_digest {
            Some(d) if d == digest(stack, &lines) => Ok(Lock { stack: stack.to_owned(), entries }),
            Some(_) => Err("its lines do not match its digest: it was edited by hand".to_owned()),
            None => Err("it has no digest line".to_owned()),
        }
    }
}

/// FNV-1a (64 bits) of the stack's name and the entry lines: stable across Rust versions,
/// which `std`'s hasher is not.
fn digest(stack: &str, lines: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in stack.bytes().chain(lines.iter().flat_map(|l| l.bytes().chain(std::iter::once(b'\n')))) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// What the stack keeps now, by resource index: each resource a durable deployment keeps.
pub fn kept(stack: &Checked) -> Vec<(usize, Entry)> {
    (0..stack.nodes.len())
        .filter(|&i| stack.kept_when_durable(i))
        .map(|i| {
            let node = stack.node(i);
            let ty = match &node.res {
                Res::Raw(raw) => raw.schema.ty.to_owned(),
                _ => node.spec().cfn_type.unwrap_or(node.spec().word).to_owned(),
            };
            let name = node.res.physical_name().map_or_else(|| "-".to_owned(), |n| n.0.clone());
            (i, Entry { logical_id: stack.lid(i).to_owned(), ty, name, forgotten: None })
        })
        .collect()
}

/// What checking a stack against its lock says: the findings, and the lock's new text when
/// it should be written (the stack changed what it keeps, safely).
#[derive(Debug, Default)]
pub struct Verdict {
    pub findings: Vec<Finding>,
    pub write: Option<String>,
}

/// Checks `stack` against its lock (`old`, the file's text, `None` when there is none yet).
/// `clean`: the stack has no other finding (only then is a lock written); `read_only`: a
/// change to the lock is an error instead (CI). A stack without durable deployments has
/// no lock.
pub fn check(stack: &Checked, old: Option<&str>, clean: bool, read_only: bool) -> Verdict {
    let mut v = Verdict::default();
    if !stack.supports(Lifecycle::Durable) {
        // Nothing is locked: a `moved` or `forget!` names nothing.
        check_words(stack, &[], &[], &mut v.findings);
        return v;
    }
    let old = match old.map(|text| Lock::parse(&stack.name, text)) {
        None => None,
        Some(Ok(lock)) => Some(lock),
        Some(Err(why)) => {
            let e = LockError::Corrupt;
            v.findings.push(Finding::new(e.id(), Loc::stack(), format!("{}: {why}", file_name(&stack.name)), e.fix()));
            return v;
        }
    };
    let locked: Vec<Entry> = old.as_ref().map(|l| l.entries.clone()).unwrap_or_default();
    let now = kept(stack);
    check_words(stack, &locked, &now, &mut v.findings);
    let mut next: Vec<Entry> = Vec::new();
    for e in &locked {
        next.push(judge(stack, e, &locked, &now, &mut v.findings));
    }
    next.extend(
        now.iter().filter(|(_, n)| !locked.iter().any(|e| e.logical_id == n.logical_id)).map(|(_, n)| n.clone()),
    );
    next.sort();
    let next = Lock { stack: stack.name.clone(), entries: next };
    if old.as_ref() == Some(&next) || !v.findings.is_empty() || !clean {
        return v;
    }
    if read_only {
        let e = LockError::Stale;
        let what =
            if old.is_none() { "does not exist yet" } else { "is out of date: the stack keeps other resources now" };
        v.findings.push(Finding::new(e.id(), Loc::stack(), format!("{} {what}", file_name(&stack.name)), e.fix()));
    } else {
        v.write = Some(next.render());
    }
    v
}

/// The lock's entry after this build, or a finding when the stack changed it unsaid.
fn judge(stack: &Checked, e: &Entry, locked: &[Entry], now: &[(usize, Entry)], out: &mut Vec<Finding>) -> Entry {
    if e.forgotten.is_some() {
        return e.clone();
    }
    if let Some((i, n)) = now.iter().find(|(_, n)| n.logical_id == e.logical_id) {
        // What changed, in the words of the message: the type, or the physical name.
        let changed = if n.ty != e.ty {
            Some((false, &e.ty, &n.ty))
        } else {
            (n.name != e.name).then_some((true, &e.name, &n.name))
        };
        if let Some((is_name, was, is)) = changed {
            let kind = LockError::Replaced;
            let at = match stack.node(*i).res.physical_name() {
                Some(name) if is_name => name.loc.clone(),
                _ => Loc::resource(*i),
            };
            let what = if is_name { "physical name" } else { "type" };
            out.push(Finding::new(
                kind.id(),
                at,
                format!(
                    "{} is locked as `{}` with {what} `{was}`; with `{is}` CloudFormation would replace it, and the new one starts empty",
                    stack.node(*i).label,
                    e.logical_id
                ),
                kind.fix(),
            ));
        }
        return e.clone();
    }
    if let Some(f) = stack.forgotten.iter().find(|f| f.logical_id == e.logical_id) {
        return Entry { forgotten: Some(f.reason.clone()), ..e.clone() };
    }
    // Gone: at the resource that took its place (same type and name, a new id), if any.
    let successor = now
        .iter()
        .find(|(_, n)| n.ty == e.ty && n.name == e.name && !locked.iter().any(|l| l.logical_id == n.logical_id));
    let kind = LockError::Gone;
    out.push(match successor {
        Some((i, n)) => Finding::new(
            kind.id(),
            Loc::resource(*i),
            format!(
                "{} is locked as `{}`; under its new logical id `{}`, CloudFormation would create it (the name `{}` is still the old one's) and remove `{}`",
                stack.node(*i).label, e.logical_id, n.logical_id, e.name, e.logical_id
            ),
            format!("write `#[tap::moved(from = \"{}\")]` on it to keep the logical id", e.logical_id),
        ),
        None => Finding::new(
            kind.id(),
            Loc::stack(),
            format!(
                "`{}` ({}, `{}`) is locked but no longer in the stack: CloudFormation would remove it from every durable deployment, and leave it in the account unmanaged",
                e.logical_id, e.ty, e.name
            ),
            format!(
                "declare it again, or write `tap::forget!(\"{}\", reason = \"..\");` to let it leave the stack (the delete plan lists it as left in the account)",
                e.logical_id
            ),
        ),
    });
    e.clone()
}

/// `moved` and `forget` name locked resources; a forgotten one is not in the stack.
fn check_words(stack: &Checked, locked: &[Entry], now: &[(usize, Entry)], out: &mut Vec<Finding>) {
    let e = LockError::Unmatched;
    let is_locked = |id: &str| locked.iter().any(|l| l.logical_id == id);
    for (i, node) in stack.nodes.iter().enumerate() {
        if let Some(from) = node.moved_from.as_deref().filter(|f| !is_locked(f)) {
            out.push(Finding::new(
                e.id(),
                Loc::moved(i),
                format!("`moved(from = \"{from}\")`: nothing is locked as `{from}`"),
                e.fix(),
            ));
        }
    }
    for (n, id) in stack.forgotten.iter().map(|f| &f.logical_id).enumerate() {
        if !is_locked(id) {
            out.push(Finding::new(
                e.id(),
                Loc::forget(n),
                format!("`forget!(\"{id}\")`: nothing is locked as `{id}`"),
                e.fix(),
            ));
        } else if now.iter().any(|(_, n)| n.logical_id == *id) {
            out.push(Finding::new(
                e.id(),
                Loc::forget(n),
                format!("`forget!(\"{id}\")`: `{id}` is still in the stack"),
                "remove the resource's declaration, or the `forget!`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_reads_back_and_a_hand_edit_is_refused() {
        let lock = Lock {
            stack: "S".into(),
            entries: vec![
                Entry {
                    logical_id: "A".into(),
                    ty: "AWS::S3::Bucket".into(),
                    name: "a-{suffix}".into(),
                    forgotten: None,
                },
                Entry {
                    logical_id: "B".into(),
                    ty: "AWS::DynamoDB::Table".into(),
                    name: "-".into(),
                    forgotten: Some("moved to the data stack".into()),
                },
            ],
        };
        let text = lock.render();
        assert_eq!(Lock::parse("S", &text).unwrap(), lock);
        let dropped: String = text.lines().filter(|l| !l.starts_with("A\t")).map(|l| format!("{l}\n")).collect();
        assert!(Lock::parse("S", &dropped).unwrap_err().contains("edited by hand"));
        assert!(Lock::parse("Other", &text).is_err(), "a lock is its stack's");
    }
}
