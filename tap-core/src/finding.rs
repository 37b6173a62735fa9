//! What a check reports: a rule id, what is wrong, how to fix it, and where; and the one
//! place that formats it (`TAP-…: what` / `fix: …`), for the macro, `synth()` and build
//! scripts alike.

use std::fmt;

use crate::model::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable id: `TAP-<AREA>-<NNN>`.
    pub id: &'static str,
    pub message: String,
    pub fix: String,
    pub loc: Loc,
}

impl Finding {
    pub fn new(id: &'static str, loc: Loc, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { id, message: message.into(), fix: fix.into(), loc }
    }
    /// A malformed-input finding: its id comes from the [`Dsl`] registry.
    pub fn dsl(kind: Dsl, loc: Loc, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding::new(kind.id(), loc, message, fix)
    }
}

impl fmt::Display for Finding {
    /// The text the compiler shows: what is wrong on the first line, the fix on the second,
    /// and where the rule's whole entry is (what, why, the seed's line) on the third.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}\nfix: {}\nexplain: `cargo tap explain {}`", self.id, self.message, self.fix, self.id)
    }
}

/// Every finding of a check, in the order found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn ids(&self) -> Vec<&'static str> {
        self.0.iter().map(|f| f.id).collect()
    }
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Findings {}

/// Declares a registry of ids that are not rules' (malformed input, acknowledgements, the
/// lock, apps) once: each variant with its id, its title and the guide's one-line fix. The
/// enum, `ALL`, `id()`, `title()`, `fix()` and its entries in [`NON_RULE`] all come from it.
macro_rules! ids {
    ($(#[$m:meta])* pub enum $name:ident as $family:ident {
        $($(#[$vm:meta])* $v:ident = $id:literal, $title:literal, $fix:literal;)*
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// Every entry, as [`NON_RULE`] lists it.
            const ENTRIES: &'static [IdEntry] = &[$(IdEntry { id: $id, title: $title, fix: $fix, family: Family::$family }),*];

            fn entry(self) -> &'static IdEntry {
                &Self::ENTRIES[self as usize]
            }
            pub const fn id(self) -> &'static str {
                match self { $($name::$v => $id),* }
            }
            pub fn title(self) -> &'static str {
                self.entry().title
            }
            /// The guide's one-line fix.
            pub fn fix(self) -> &'static str {
                self.entry().fix
            }
        }
    };
}

/// Which registry an id that is not a rule's belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// [`Dsl`]: malformed input.
    Dsl,
    /// [`AckError`]: a wrong `#[tap::expect(..)]`.
    Acknowledgement,
    /// [`LockError`]: the lock of kept identities.
    Lock,
    /// [`LinkError`]: the stacks of one app.
    App,
}

impl Family {
    /// The word a listing files it under (a SARIF descriptor's tag, `explain`'s heading).
    pub fn tag(self) -> &'static str {
        match self {
            Family::Dsl => "malformed-input",
            Family::Acknowledgement => "acknowledgement",
            Family::Lock => "lock",
            Family::App => "app",
        }
    }
}

/// One id that is not a rule's, as its registry declares it.
#[derive(Debug, PartialEq, Eq)]
pub struct IdEntry {
    pub id: &'static str,
    pub title: &'static str,
    pub fix: &'static str,
    pub family: Family,
}

/// Every id that is not a rule's, registry by registry: what SARIF's descriptors, `cargo tap
/// explain` and the guide list.
pub const NON_RULE: [&[IdEntry]; 4] = [Dsl::ENTRIES, AckError::ENTRIES, LockError::ENTRIES, LinkError::ENTRIES];

/// Every entry of [`NON_RULE`], in order.
pub fn non_rule_ids() -> impl Iterator<Item = &'static IdEntry> {
    NON_RULE.into_iter().flatten()
}

ids! {
    /// The malformed-input diagnostics: mistakes in the DSL itself rather than in the stack.
    /// One registry, so the validator, the macro and the teaching guide agree on ids and titles.
    pub enum Dsl as Dsl {
        UnknownKind = "TAP-DSL-001", "Unknown resource kind", "Use one of the kinds listed in the message (the closest is suggested).";
        UnknownProperty = "TAP-DSL-002", "Unknown property", "Use one of the kind's properties (the closest is suggested).";
        WrongType = "TAP-DSL-003", "Wrong value type or value out of range", "Write a value of the type the property expects.";
        Duplicate = "TAP-DSL-004", "Duplicate binding, property or physical name", "Give each resource its own binding and name.";
        Undeclared = "TAP-DSL-005", "Reference to an undeclared resource", "Declare the resource (before or after: order does not matter) or fix the name.";
        WrongKind = "TAP-DSL-006", "Reference of the wrong kind", "Refer to a resource of the kind the property expects.";
        Missing = "TAP-DSL-007", "Missing required property", "Add the property the message names.";
        UnknownMember = "TAP-DSL-008", "Unknown attribute or access level", "Use one of the attributes or access levels listed.";
        Syntax = "TAP-DSL-009", "Syntax: not a resource declaration", "Write `let name = resource!(Kind { property: value, .. });`.";
        UnknownAction = "TAP-DSL-010", "Unknown IAM action in a `Raw` grant", "Name an action IAM defines (the closest is suggested); tap checks them against the list cfn-lint ships.";
    }
}

ids! {
    /// What can be wrong with an acknowledgement (`#[tap::expect(..)]` on a resource): a registry of
    /// its own beside [`Dsl`], read by the acknowledgement stage, the guide and SARIF.
    pub enum AckError as Acknowledgement {
        UnknownRule = "TAP-ACK-001", "Acknowledgement of a rule that does not exist", "Name a rule id as a finding prints it (the closest is suggested).";
        NotAcknowledgeable = "TAP-ACK-002", "Acknowledgement of a rule that has no exceptions (on this stack)", "Fix the finding instead: the message says why the rule has no exceptions, here or on this stack's lifecycles.";
        Unfulfilled = "TAP-ACK-003", "Acknowledgement that no finding needs", "Remove the `#[tap::expect(..)]`: what it acknowledged is gone (or write the `at` of a finding it lists).";
        NoReason = "TAP-ACK-004", "Acknowledgement without a reason of its own", "Say why in your own words: at least 20 characters and 4 words, not the rule's title, no TODO.";
    }
}

ids! {
    /// What the lock of kept identities (`<Stack>.tap.lock`) refuses: a kept resource that
    /// would change identity or leave the stack without a word in the source, and a lock that
    /// does not hold together.
    pub enum LockError as Lock {
        Gone = "TAP-LOCK-001", "A kept resource disappears from the stack, or changes its logical id", "Renamed: write `#[tap::moved(from = \"<locked id>\")]` on the resource. Leaving the stack: write `tap::forget!(\"<locked id>\", reason = \"..\");`.";
        Replaced = "TAP-LOCK-002", "A kept resource changes its type or physical name: CloudFormation would replace it", "Keep the type and name, or give the new resource its own binding and forget the old one.";
        Unmatched = "TAP-LOCK-003", "`moved` or `forget` names no locked resource", "Name a logical id the lock lists.";
        Corrupt = "TAP-LOCK-004", "The lock does not hold together (edited by hand)", "Restore the lock from version control; the build writes it, and a removal is said in the stack.";
        Stale = "TAP-LOCK-005", "The lock would change where it is read-only (CI)", "Build once without `TAP_LOCKED` and commit the lock it writes.";
    }
}

ids! {
    /// What joining the stacks of one app refuses (`#[tap::app]`): a reference to another
    /// stack's resource that names nothing there, cannot cross a stack's boundary, or closes a
    /// cycle CloudFormation could not deploy.
    pub enum LinkError as App {
        UnknownStack = "TAP-LINK-001", "A reference names a stack the app does not declare", "Put both stacks in one `#[tap::app] mod`, and name the other stack by its function's name.";
        Removed = "TAP-LINK-002", "A reference names a resource the other stack does not declare (an export removed while it is used)", "Keep the resource in its stack, or remove this reference first.";
        CannotCross = "TAP-LINK-003", "The resource's kind cannot be used from another stack", "Move the resource into the stack that uses it, or pass what it needs as an `Existing` parameter.";
        Cycle = "TAP-LINK-004", "Stacks refer to each other in a cycle: none of them can be deployed first", "Move the resources one of the stacks shares into the other, so references go one way.";
        OwnStack = "TAP-LINK-005", "A stack names its own resource through its own name", "Write the binding alone: `orders`, not `data::orders`.";
    }
}

/// Closest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word.to_lowercase(), &c.to_lowercase());
        let limit = (word.len().max(c.len()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `hint` formatted as a sentence tail, or nothing.
pub fn hint(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_registry_declares_its_entries_in_order() {
        for (family, all) in [
            (Family::Dsl, Dsl::ALL.iter().map(|d| (d.id(), d.title(), d.fix())).collect::<Vec<_>>()),
            (Family::Acknowledgement, AckError::ALL.iter().map(|a| (a.id(), a.title(), a.fix())).collect()),
            (Family::Lock, LockError::ALL.iter().map(|l| (l.id(), l.title(), l.fix())).collect()),
            (Family::App, LinkError::ALL.iter().map(|l| (l.id(), l.title(), l.fix())).collect()),
        ] {
            let listed: Vec<_> =
                non_rule_ids().filter(|e| e.family == family).map(|e| (e.id, e.title, e.fix)).collect();
            assert_eq!(listed, all, "{family:?}");
        }
        assert_eq!(non_rule_ids().count(), 24);
        let mut ids: Vec<&str> = non_rule_ids().map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 24, "an id is declared twice");
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("colur", ["colour", "flavour"]), Some("colour"));
        assert_eq!(did_you_mean("zzz", ["colour", "flavour"]), None);
        assert_eq!(did_you_mean("Buckt", ["Bucket", "Stream"]), Some("Bucket"));
    }
}
