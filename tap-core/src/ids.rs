//! Logical ids, derived from what the stack declares: a binding `inventory_stream` is
//! `InventoryStream`; a bare statement takes its id from what it connects. No counters
//! that shift when an unrelated line moves, no randomness.

use crate::kinds::Kind;
use crate::model::{Resource, Stack, Value};

pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

fn binding_of(r: &Resource, key: &str) -> String {
    match r.get(key) {
        Some(Value::Ref { target, .. }) => pascal(target),
        Some(Value::Str(s)) => pascal(&s.replace("0.0.0.0/0", "anywhere")),
        Some(Value::Word(w)) => pascal(w),
        _ => String::new(),
    }
}

/// The id a resource would have, before collisions are resolved.
pub fn base_id(r: &Resource) -> String {
    if let Some(b) = &r.binding {
        return pascal(b);
    }
    match r.kind {
        Kind::Ingress => {
            let source = if r.get("from").is_some() { binding_of(r, "from") } else { binding_of(r, "cidr") };
            format!("{}IngressFrom{}Port{}", binding_of(r, "to"), source, r.int("port").unwrap_or(0))
        }
        Kind::EventSource => {
            let source = if r.get("queue").is_some() { "queue" } else { "stream" };
            format!("{}From{}", binding_of(r, "target"), binding_of(r, source))
        }
        Kind::LogGroup => format!("{}LogGroup", binding_of(r, "function")),
        Kind::Endpoint => format!("{}{}Endpoint", binding_of(r, "vpc"), binding_of(r, "service")),
        Kind::Alarm | Kind::Output => {
            let name = r.str("name").unwrap_or_default().replace("{suffix}", "");
            let id = pascal(&name);
            if r.kind == Kind::Alarm { format!("{id}Alarm") } else { id }
        }
        _ => r.kind.word().to_owned(),
    }
}

/// One logical id per resource, in order; a repeated id takes a number.
pub fn logical_ids(stack: &Stack) -> Vec<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    stack
        .resources
        .iter()
        .map(|r| {
            let base = base_id(r);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}{n}") }
        })
        .collect()
}
