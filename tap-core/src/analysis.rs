//! What each function uses: every reference that reaches a function (its environment, the
//! stream that feeds it, the queue its failures go to), and the access each one implies.
//! The IAM, network and data rules all read this one table.

use crate::kinds::{Kind, Service};
use crate::model::{Loc, Seg, Stack, Value};

#[derive(Clone, Debug, PartialEq)]
pub enum Via {
    /// An environment variable holds one of the target's attributes.
    Env(String),
    /// The target stream feeds the function through an event source mapping.
    EventSource,
    /// The target queue receives the event source's failed batches.
    OnFailure,
}

#[derive(Clone, Debug)]
pub struct Use {
    pub function: usize,
    pub target: usize,
    pub via: Via,
    /// Where the reference is written.
    pub loc: Loc,
    /// The access levels that satisfy this use; empty where IAM is not involved.
    pub levels: &'static [&'static str],
}

impl Use {
    /// The function calls the target's API itself (not Lambda on its behalf).
    pub fn service_called(&self, stack: &Stack) -> Option<Service> {
        match self.via {
            Via::Env(_) => stack.resources[self.target].kind.spec().service,
            _ => None,
        }
    }
    pub fn describe(&self, stack: &Stack) -> String {
        let f = stack.resources[self.function].binding.as_deref().unwrap_or("function");
        let t = stack.resources[self.target].binding.as_deref().unwrap_or("?");
        match &self.via {
            Via::Env(var) => format!("function `{f}` uses `{t}` (env {var})"),
            Via::EventSource => format!("function `{f}` is fed by {} `{t}`", stack.resources[self.target].kind.spec().noun),
            Via::OnFailure => format!("failed batches of function `{f}` go to queue `{t}`"),
        }
    }
}

fn env_levels(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Bucket => &["read", "write", "read_write"],
        Kind::Secret => &["read"],
        Kind::Queue => &["send", "consume"],
        Kind::Stream => &["read", "write"],
        _ => &[],
    }
}

pub fn uses(stack: &Stack) -> Vec<Use> {
    let index = stack.index();
    let find = |b: &str| index.get(b).copied();
    let mut out = Vec::new();
    for (f, function) in stack.of_kind(Kind::Function) {
        if let Some(Value::Map(env)) = function.get("env") {
            for (var, v) in env {
                let Some((target, _)) = v.as_ref_target() else { continue };
                let Some(t) = find(target) else { continue };
                out.push(Use {
                    function: f,
                    target: t,
                    via: Via::Env(var.clone()),
                    loc: Loc { resource: Some(f), path: vec![Seg::Key("env".into()), Seg::Key(var.clone())] },
                    levels: env_levels(stack.resources[t].kind),
                });
            }
        }
    }
    for (e, source) in stack.of_kind(Kind::EventSource) {
        let Some(f) = source.target("target").and_then(find) else { continue };
        if let Some(t) = source.target("stream").and_then(find) {
            out.push(Use { function: f, target: t, via: Via::EventSource, loc: Loc::prop(e, "stream"), levels: &["read"] });
        }
        if let Some(t) = source.target("queue").and_then(find) {
            out.push(Use { function: f, target: t, via: Via::EventSource, loc: Loc::prop(e, "queue"), levels: &["consume"] });
        }
        if let Some(t) = source.target("on_failure").and_then(find) {
            out.push(Use { function: f, target: t, via: Via::OnFailure, loc: Loc::prop(e, "on_failure"), levels: &["send"] });
        }
    }
    out
}

/// The grants of a function: (index in the list, target binding, level) for typed grants.
pub fn grants(stack: &Stack, function: usize) -> Vec<(usize, &str, &str)> {
    stack.resources[function]
        .list("grants")
        .iter()
        .enumerate()
        .filter_map(|(n, g)| match g {
            Value::Ref { target, attr: Some(level) } => Some((n, target.as_str(), level.as_str())),
            _ => None,
        })
        .collect()
}
