//! Malformed input: everything that makes a stack mean something before any rule reads it,
//! for the macro and the plain Rust API alike. Unknown kinds and properties, repeated
//! bindings, properties and physical names, wrong value types, dangling or mistyped
//! references and constraints between properties are found here, once; what comes out is
//! every problem found and the read-only [`Checked`] view of what decoded, which the rules
//! judge in the same pass (a compiler reports everything it can, not the first error).

//!
//! The folder reads in order: [`resources`] decodes each resource and the stack's
//! deployment, [`view`] is what the rules judge, [`expectations`] what the acknowledgement
//! stage reads (so no stage after the rules reads the property bag).

mod expectations;
mod resources;
mod view;

use std::collections::HashSet;

pub use expectations::{Expectations, Expecting};
pub use view::View;

use crate::finding::{did_you_mean, hint, Finding};
use crate::kinds::{Checked, Kind, Node};
use crate::model::Stack;
use resources::decode;

/// Message for a kind word that is not one of [`Kind::ALL`].
pub fn unknown_kind(word: &str) -> (String, String) {
    let words = Kind::ALL.iter().map(|k| k.word());
    (
        format!("unknown resource kind `{word}`{}", hint(did_you_mean(word, words.clone()))),
        format!("use one of: {}", words.collect::<Vec<_>>().join(", ")),
    )
}

/// What validation makes of a stack: every malformed-input finding, and the view the
/// rules judge.
pub struct Validated {
    pub findings: Vec<Finding>,
    pub view: Option<View>,
}

pub fn validate(stack: &Stack) -> Validated {
    let (mut findings, nodes, deployment) = decode(stack);
    let checked = |nodes: Vec<Option<Node>>, deployment| {
        let nodes: Option<Vec<Node>> = nodes.into_iter().collect();
        nodes.map(|nodes| {
            let mut checked =
                Checked::new(stack.name.clone(), stack.root.clone().unwrap_or_else(|| ".".into()), deployment, nodes);
            checked.forgotten = stack.forgotten.clone();
            checked.depends_on = stack.depends_on.clone();
            checked
        })
    };
    // Who names whom is needed only when something did not decode whole.
    let whole = nodes.iter().all(|n| n.as_ref().is_some_and(|n| n.malformed.is_empty()));
    let names = if whole { Vec::new() } else { named(stack) };
    // A resource with a property written wrong is only partly known, and so are its
    // relations: nothing is said this pass of the resources it names.
    let mut partly: HashSet<usize> = HashSet::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.as_ref().is_some_and(|n| !n.malformed.is_empty()) {
            partly.extend(names[i].iter().copied().filter(|&j| j != i));
        }
    }
    let view = if nodes.iter().all(Option::is_some) {
        checked(nodes, deployment).map(|checked| View {
            origin: (0..checked.nodes.len()).collect(),
            checked,
            complete: true,
            suspects: partly,
            expectations: Expectations::of(stack),
        })
    } else {
        judged_part(stack, &nodes, &names).and_then(|(part, origin, suspects)| {
            // Decoded again on its own, so every index in it is its own; its findings are
            // the first pass's already.
            let (_, nodes, deployment) = decode(&part);
            checked(nodes, deployment).map(|checked| View {
                checked,
                origin,
                complete: false,
                suspects: suspects.union(&partly).copied().collect(),
                expectations: Expectations::of(stack),
            })
        })
    };
    // Constraints between properties, on what decoded.
    if let Some(view) = &view {
        let mut between = Vec::new();
        for (i, node) in view.checked.nodes.iter().enumerate() {
            node.res.hooks().validate(i, &view.checked, &mut between);
        }
        findings.extend(between.into_iter().filter_map(|f| view.admit(f)));
    }
    Validated { findings, view }
}

/// The resources the rules can judge when some did not decode: all but those and, again and
/// again, every resource that names one of them; with their stack indices and the resources
/// a left-out one names.
fn judged_part(
    stack: &Stack,
    nodes: &[Option<Node>],
    names: &[Vec<usize>],
) -> Option<(Stack, Vec<usize>, HashSet<usize>)> {
    let mut out: Vec<bool> = nodes.iter().map(Option::is_none).collect();
    loop {
        let more: Vec<usize> = (0..out.len()).filter(|&i| !out[i] && names[i].iter().any(|&j| out[j])).collect();
        if more.is_empty() {
            break;
        }
        more.into_iter().for_each(|i| out[i] = true);
    }
    let suspects =
        (0..out.len()).filter(|&i| out[i]).flat_map(|i| names[i].iter().copied()).filter(|&j| !out[j]).collect();
    let origin: Vec<usize> = (0..out.len()).filter(|&i| !out[i]).collect();
    if origin.is_empty() {
        return None;
    }
    let part = Stack { resources: origin.iter().map(|&i| stack.resources[i].clone()).collect(), ..stack.clone() };
    Some((part, origin, suspects))
}

/// For each resource, the resources it names (by the first declaration of each binding).
fn named(stack: &Stack) -> Vec<Vec<usize>> {
    let mut first = std::collections::HashMap::new();
    for (i, r) in stack.resources.iter().enumerate() {
        if let Some(b) = &r.binding {
            first.entry(b.as_str()).or_insert(i);
        }
    }
    stack
        .resources
        .iter()
        .map(|r| r.props.iter().flat_map(|(_, v)| v.named()).filter_map(|n| first.get(n).copied()).collect())
        .collect()
}
