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

/// The malformed-input diagnostics: mistakes in the DSL itself rather than in the stack.
/// One registry, so the validator, the macro and the teaching guide agree on ids and titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dsl {
    UnknownKind,
    UnknownProperty,
    WrongType,
    Duplicate,
    Undeclared,
    WrongKind,
    Missing,
    UnknownMember,
    Syntax,
    UnknownAction,
}

impl Dsl {
    pub const ALL: &'static [Dsl] = &[
        Dsl::UnknownKind,
        Dsl::UnknownProperty,
        Dsl::WrongType,
        Dsl::Duplicate,
        Dsl::Undeclared,
        Dsl::WrongKind,
        Dsl::Missing,
        Dsl::UnknownMember,
        Dsl::Syntax,
        Dsl::UnknownAction,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            Dsl::UnknownKind => "TAP-DSL-001",
            Dsl::UnknownProperty => "TAP-DSL-002",
            Dsl::WrongType => "TAP-DSL-003",
            Dsl::Duplicate => "TAP-DSL-004",
            Dsl::Undeclared => "TAP-DSL-005",
            Dsl::WrongKind => "TAP-DSL-006",
            Dsl::Missing => "TAP-DSL-007",
            Dsl::UnknownMember => "TAP-DSL-008",
            Dsl::Syntax => "TAP-DSL-009",
            Dsl::UnknownAction => "TAP-DSL-010",
        }
    }
    pub const fn title(self) -> &'static str {
        match self {
            Dsl::UnknownKind => "Unknown resource kind",
            Dsl::UnknownProperty => "Unknown property",
            Dsl::WrongType => "Wrong value type or value out of range",
            Dsl::Duplicate => "Duplicate binding, property or physical name",
            Dsl::Undeclared => "Reference to an undeclared resource",
            Dsl::WrongKind => "Reference of the wrong kind",
            Dsl::Missing => "Missing required property",
            Dsl::UnknownMember => "Unknown attribute or access level",
            Dsl::Syntax => "Syntax: not a resource declaration",
            Dsl::UnknownAction => "Unknown IAM action in a `Raw` grant",
        }
    }
    /// The guide's one-line fix.
    pub const fn fix(self) -> &'static str {
        match self {
            Dsl::UnknownKind => "Use one of the kinds listed in the message (the closest is suggested).",
            Dsl::UnknownProperty => "Use one of the kind's properties (the closest is suggested).",
            Dsl::WrongType => "Write a value of the type the property expects.",
            Dsl::Duplicate => "Give each resource its own binding and name.",
            Dsl::Undeclared => "Declare the resource (before or after: order does not matter) or fix the name.",
            Dsl::WrongKind => "Refer to a resource of the kind the property expects.",
            Dsl::Missing => "Add the property the message names.",
            Dsl::UnknownMember => "Use one of the attributes or access levels listed.",
            Dsl::Syntax => "Write `let name = resource!(Kind { property: value, .. });`.",
            Dsl::UnknownAction => "Name an action IAM defines (the closest is suggested); tap checks them against the list cfn-lint ships.",
        }
    }
    /// A syntax finding's text, for errors raised before there is a model to point into.
    pub fn text(self, message: &str, fix: &str) -> String {
        Finding::dsl(self, Loc::stack(), message, fix).to_string()
    }
}

/// What can be wrong with an acknowledgement (`#[tap::expect(..)]` on a resource): a registry of
/// its own beside [`Dsl`], read by the acknowledgement stage, the guide and SARIF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckError {
    UnknownRule,
    NotAcknowledgeable,
    Unfulfilled,
    NoReason,
}

impl AckError {
    pub const ALL: &'static [AckError] =
        &[AckError::UnknownRule, AckError::NotAcknowledgeable, AckError::Unfulfilled, AckError::NoReason];

    pub const fn id(self) -> &'static str {
        match self {
            AckError::UnknownRule => "TAP-ACK-001",
            AckError::NotAcknowledgeable => "TAP-ACK-002",
            AckError::Unfulfilled => "TAP-ACK-003",
            AckError::NoReason => "TAP-ACK-004",
        }
    }
    pub const fn title(self) -> &'static str {
        match self {
            AckError::UnknownRule => "Acknowledgement of a rule that does not exist",
            AckError::NotAcknowledgeable => "Acknowledgement of a rule that has no exceptions (on this stack)",
            AckError::Unfulfilled => "Acknowledgement that no finding needs",
            AckError::NoReason => "Acknowledgement without a reason of its own",
        }
    }
    pub const fn fix(self) -> &'static str {
        match self {
            AckError::UnknownRule => "Name a rule id as a finding prints it (the closest is suggested).",
            AckError::NotAcknowledgeable => {
                "Fix the finding instead: the message says why the rule has no exceptions, here or on this stack's lifecycles."
            }
            AckError::Unfulfilled => {
                "Remove the `#[tap::expect(..)]`: what it acknowledged is gone (or write the `at` of a finding it lists)."
            }
            AckError::NoReason => {
                "Say why in your own words: at least 20 characters and 4 words, not the rule's title, no TODO."
            }
        }
    }
}

/// What the lock of kept identities (`<Stack>.tap.lock`) refuses: a kept resource that
/// would change identity or leave the stack without a word in the source, and a lock that
/// does not hold together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockError {
    Gone,
    Replaced,
    Unmatched,
    Corrupt,
    Stale,
}

impl LockError {
    pub const ALL: &'static [LockError] =
        &[LockError::Gone, LockError::Replaced, LockError::Unmatched, LockError::Corrupt, LockError::Stale];

    pub const fn id(self) -> &'static str {
        match self {
            LockError::Gone => "TAP-LOCK-001",
            LockError::Replaced => "TAP-LOCK-002",
            LockError::Unmatched => "TAP-LOCK-003",
            LockError::Corrupt => "TAP-LOCK-004",
            LockError::Stale => "TAP-LOCK-005",
        }
    }
    pub const fn title(self) -> &'static str {
        match self {
            LockError::Gone => "A kept resource disappears from the stack, or changes its logical id",
            LockError::Replaced => "A kept resource changes its type or physical name: CloudFormation would replace it",
            LockError::Unmatched => "`moved` or `forget` names no locked resource",
            LockError::Corrupt => "The lock does not hold together (edited by hand)",
            LockError::Stale => "The lock would change where it is read-only (CI)",
        }
    }
    pub const fn fix(self) -> &'static str {
        match self {
            LockError::Gone => {
                "Renamed: write `#[tap::moved(from = \"<locked id>\")]` on the resource. Leaving the stack: write `tap::forget!(\"<locked id>\", reason = \"..\");`."
            }
            LockError::Replaced => "Keep the type and name, or give the new resource its own binding and forget the old one.",
            LockError::Unmatched => "Name a logical id the lock lists.",
            LockError::Corrupt => "Restore the lock from version control; the build writes it, and a removal is said in the stack.",
            LockError::Stale => "Build once without `TAP_LOCKED` and commit the lock it writes.",
        }
    }
}

/// What joining the stacks of one app refuses (`#[tap::app]`): a reference to another
/// stack's resource that names nothing there, cannot cross a stack's boundary, or closes a
/// cycle CloudFormation could not deploy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkError {
    UnknownStack,
    Removed,
    CannotCross,
    Cycle,
    OwnStack,
}

impl LinkError {
    pub const ALL: &'static [LinkError] =
        &[LinkError::UnknownStack, LinkError::Removed, LinkError::CannotCross, LinkError::Cycle, LinkError::OwnStack];

    pub const fn id(self) -> &'static str {
        match self {
            LinkError::UnknownStack => "TAP-LINK-001",
            LinkError::Removed => "TAP-LINK-002",
            LinkError::CannotCross => "TAP-LINK-003",
            LinkError::Cycle => "TAP-LINK-004",
            LinkError::OwnStack => "TAP-LINK-005",
        }
    }
    pub const fn title(self) -> &'static str {
        match self {
            LinkError::UnknownStack => "A reference names a stack the app does not declare",
            LinkError::Removed => {
                "A reference names a resource the other stack does not declare (an export removed while it is used)"
            }
            LinkError::CannotCross => "The resource's kind cannot be used from another stack",
            LinkError::Cycle => "Stacks refer to each other in a cycle: none of them can be deployed first",
            LinkError::OwnStack => "A stack names its own resource through its own name",
        }
    }
    pub const fn fix(self) -> &'static str {
        match self {
            LinkError::UnknownStack => {
                "Put both stacks in one `#[tap::app] mod`, and name the other stack by its function's name."
            }
            LinkError::Removed => "Keep the resource in its stack, or remove this reference first.",
            LinkError::CannotCross => {
                "Move the resource into the stack that uses it, or pass what it needs as an `Existing` parameter."
            }
            LinkError::Cycle => "Move the resources one of the stacks shares into the other, so references go one way.",
            LinkError::OwnStack => "Write the binding alone: `orders`, not `data::orders`.",
        }
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
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("colur", ["colour", "flavour"]), Some("colour"));
        assert_eq!(did_you_mean("zzz", ["colour", "flavour"]), None);
        assert_eq!(did_you_mean("Buckt", ["Bucket", "Stream"]), Some("Bucket"));
    }
}
