//! The view the rules judge, and how its findings map back onto the stack.

use std::collections::HashSet;

use super::Expectations;
use crate::finding::Finding;
use crate::kinds::Checked;

/// The checked view the rules judge. When every resource decoded it is the whole stack.
/// When some could not be decoded (an unknown kind, a required property written wrong),
/// it is the rest of the stack: those resources, and every resource that refers to them,
/// are left out, so no reference in the view dangles, and the rules judge everything else
/// in the same pass instead of one round later.
pub struct View {
    pub checked: Checked,
    /// The stack index of each resource of the view.
    pub(super) origin: Vec<usize>,
    /// Every resource decoded: `checked` is the whole stack.
    pub complete: bool,
    /// Resources that a left-out or partly decoded resource names (stack indices): what the
    /// rules would say of them may come from what is missing (an alarm that is not there,
    /// an event source's use of them), so nothing is said of them this pass.
    pub(super) suspects: HashSet<usize>,
    /// Every resource's acknowledgements, for the stage after the rules.
    pub expectations: Expectations,
}

impl View {
    /// A finding about the view as a finding about the stack: its location moved to the
    /// resource's stack index, or `None` when its cause may be something already reported.
    /// A finding at a resource itself (a property "missing") is dropped when the resource
    /// has a property written wrong: the wrong value was reported, not a missing one.
    pub fn admit(&self, mut f: Finding) -> Option<Finding> {
        match f.loc.resource {
            Some(j) => {
                let i = self.origin[j];
                let at_resource = f.loc.path.is_empty() && !self.checked.node(j).malformed.is_empty();
                if self.suspects.contains(&i) || at_resource {
                    return None;
                }
                f.loc.resource = Some(i);
                Some(f)
            }
            None => self.complete.then_some(f),
        }
    }
    /// Whether the rules saw stack resource `i` whole: it is in the view, nothing it names
    /// was left out, and none of its properties was written wrong.
    pub fn judged(&self, i: usize) -> bool {
        let Some(j) = self.origin.iter().position(|&o| o == i) else { return false };
        !self.suspects.contains(&i) && self.checked.node(j).malformed.is_empty()
    }
}
