//! Malformed input: the checks that make a stack mean something before any rule reads it.
//! Unknown kinds are caught by the parser; everything else (unknown property, wrong value
//! type, duplicate names, dangling or mistyped references) is reported here, for the
//! macro and the plain Rust API alike. Bare identifiers that name a resource are resolved
//! into references here, so rules only ever see resolved references.

use std::collections::{HashMap, HashSet};

use crate::finding::{did_you_mean, hint, Finding};
use crate::kinds::{alarm, Kind, Ty};
use crate::model::{Loc, Seg, Stack, Value};

pub const UNKNOWN_KIND: &str = "TAP-DSL-001";
pub const UNKNOWN_PROPERTY: &str = "TAP-DSL-002";
pub const WRONG_TYPE: &str = "TAP-DSL-003";
pub const DUPLICATE: &str = "TAP-DSL-004";
pub const UNDECLARED: &str = "TAP-DSL-005";
pub const WRONG_KIND: &str = "TAP-DSL-006";
pub const MISSING: &str = "TAP-DSL-007";
pub const UNKNOWN_ATTRIBUTE: &str = "TAP-DSL-008";
pub const SYNTAX: &str = "TAP-DSL-009";

/// Message for a kind word that is not one of [`Kind::ALL`].
pub fn unknown_kind(word: &str) -> (String, String) {
    let words = Kind::ALL.iter().map(|k| k.word());
    (
        format!("unknown resource kind `{word}`{}", hint(did_you_mean(word, words.clone()))),
        format!("use one of: {}", words.collect::<Vec<_>>().join(", ")),
    )
}

pub fn validate(stack: &mut Stack) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut bindings = Bindings::new();
    for r in &stack.resources {
        if let Some(b) = &r.binding {
            bindings.entry(b.clone()).or_insert(r.kind);
        }
    }
    check_duplicates(stack, &mut out);
    for i in 0..stack.resources.len() {
        let kind = stack.resources[i].kind;
        let spec = kind.spec();
        let keys: Vec<String> = stack.resources[i].props.keys().cloned().collect();
        for key in keys {
            let Some(prop) = spec.prop(&key) else {
                out.push(Finding::new(
                    UNKNOWN_PROPERTY,
                    Loc { resource: Some(i), path: vec![Seg::Field(key.clone())] },
                    format!(
                        "{} has no property `{key}`{}",
                        spec.noun,
                        hint(did_you_mean(&key, spec.props.iter().map(|p| p.name)))
                    ),
                    format!("{} properties: {}", spec.word, spec.props.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")),
                ));
                continue;
            };
            let loc = Loc::prop(i, &key);
            let value = stack.resources[i].props.get_mut(&key).expect("key listed above");
            check_value(&bindings, &prop.ty, value, &key, &loc, &mut out);
        }
        for prop in spec.props.iter().filter(|p| p.required) {
            if !stack.resources[i].props.contains_key(prop.name) {
                out.push(Finding::new(
                    MISSING,
                    Loc::resource(i),
                    format!("{} is missing required property `{}`", stack.resources[i].label(), prop.name),
                    format!("add `{}: <{}>`", prop.name, describe(&prop.ty)),
                ));
            }
        }
    }
    check_cross_property(stack, &mut out);
    out
}

/// Binding -> kind (the first declaration wins; a second is reported as a duplicate).
type Bindings = HashMap<String, Kind>;

fn check_duplicates(stack: &Stack, out: &mut Vec<Finding>) {
    let mut seen_bindings = HashSet::new();
    let mut seen_names = HashSet::new();
    for (i, r) in stack.resources.iter().enumerate() {
        if let Some(b) = &r.binding {
            if !seen_bindings.insert(b.as_str()) {
                out.push(Finding::new(
                    DUPLICATE,
                    Loc::resource(i),
                    format!("`{b}` is declared twice"),
                    "give each resource its own binding",
                ));
            }
        }
        if let Some(name) = r.str("name") {
            if r.kind.spec().naming.is_some() && !seen_names.insert((r.kind, name)) {
                out.push(Finding::new(
                    DUPLICATE,
                    Loc::prop(i, "name"),
                    format!("two {}s are named \"{name}\"", r.kind.spec().noun),
                    "physical names must be unique within a kind; rename one",
                ));
            }
        }
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Str | Ty::Path => "string".into(),
        Ty::Name => "name with {suffix}".into(),
        Ty::Int { .. } => "integer".into(),
        Ty::Bool => "true|false".into(),
        Ty::Word(ws) => ws.join("|"),
        Ty::Ref(kinds) => kinds.iter().map(|k| k.spec().noun).collect::<Vec<_>>().join(" or "),
        Ty::Value | Ty::Attr => "resource.attribute".into(),
        Ty::Grant => "resource.access".into(),
        Ty::Code => "Bin(\"name\") or Dir(\"path\")".into(),
        Ty::List(inner) => format!("[{}, ..]", describe(inner)),
        Ty::Env => "{ NAME: resource.attribute, .. }".into(),
    }
}

fn wrong_type(key: &str, ty: &Ty, found: &Value, loc: &Loc) -> Finding {
    Finding::new(
        WRONG_TYPE,
        loc.clone(),
        format!("`{key}` expects {}, found {}", describe(ty), found.describe()),
        format!("write `{key}: <{}>`", describe(ty)),
    )
}

fn undeclared(name: &str, bindings: &Bindings, loc: &Loc) -> Finding {
    Finding::new(
        UNDECLARED,
        loc.clone(),
        format!(
            "`{name}` is not a resource of this stack{}",
            hint(did_you_mean(name, bindings.keys().map(String::as_str)))
        ),
        "declare it first with `let name = resource!(Kind { .. });`",
    )
}

fn check_value(bindings: &Bindings, ty: &Ty, value: &mut Value, key: &str, loc: &Loc, out: &mut Vec<Finding>) {
    let kind_of = |name: &str| bindings.get(name).copied();
    match ty {
        Ty::Str | Ty::Name | Ty::Path => {
            if !matches!(value, Value::Str(_)) {
                out.push(wrong_type(key, ty, value, loc));
            }
        }
        Ty::Bool => {
            if !matches!(value, Value::Bool(_)) {
                out.push(wrong_type(key, ty, value, loc));
            }
        }
        Ty::Int { min, max } => match value {
            Value::Int(n) if *n < *min || *n > *max => out.push(Finding::new(
                WRONG_TYPE,
                loc.clone(),
                format!("`{key}` is {n}, outside {min}..={max}"),
                format!("choose a value from {min} to {max}"),
            )),
            Value::Int(_) => {}
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::Word(words) => match value {
            Value::Word(w) if words.contains(&w.as_str()) => {}
            Value::Word(w) => out.push(Finding::new(
                WRONG_TYPE,
                loc.clone(),
                format!("`{w}` is not a value of `{key}`{}", hint(did_you_mean(w, words.iter().copied()))),
                format!("use one of: {}", words.join(", ")),
            )),
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::Ref(kinds) => {
            let name = match value {
                Value::Word(w) | Value::Ref { target: w, attr: None } => w.clone(),
                other => return out.push(wrong_type(key, ty, other, loc)),
            };
            match kind_of(&name) {
                None => out.push(undeclared(&name, bindings, loc)),
                Some(k) if !kinds.contains(&k) => out.push(Finding::new(
                    WRONG_KIND,
                    loc.clone(),
                    format!("`{key}` expects {}, but `{name}` is a {}", describe(ty), k.spec().noun),
                    format!("refer to a {} here", describe(ty)),
                )),
                Some(_) => *value = Value::Ref { target: name, attr: None },
            }
        }
        Ty::Value | Ty::Attr => match value {
            Value::Str(_) if matches!(ty, Ty::Value) => {}
            Value::Ref { target, attr: Some(attr) } => match kind_of(target) {
                None => out.push(undeclared(target, bindings, loc)),
                Some(k) if !k.spec().attrs.contains(&attr.as_str()) => out.push(Finding::new(
                    UNKNOWN_ATTRIBUTE,
                    loc.clone(),
                    format!(
                        "{} `{target}` has no attribute `{attr}`{}",
                        k.spec().noun,
                        hint(did_you_mean(attr, k.spec().attrs.iter().copied()))
                    ),
                    format!("use one of: {}", k.spec().attrs.iter().map(|a| format!("{target}.{a}")).collect::<Vec<_>>().join(", ")),
                )),
                Some(_) => {}
            },
            Value::Word(w) if kind_of(w).is_some() => {
                let k = kind_of(w).expect("checked");
                out.push(Finding::new(
                    WRONG_TYPE,
                    loc.clone(),
                    format!("`{key}` needs one attribute of `{w}`, not the whole {}", k.spec().noun),
                    format!("use one of: {}", k.spec().attrs.iter().map(|a| format!("{w}.{a}")).collect::<Vec<_>>().join(", ")),
                ))
            }
            Value::Word(w) => out.push(undeclared(w, bindings, loc)),
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::Grant => match value {
            Value::Ref { target, attr: Some(level) } => match kind_of(target) {
                None => out.push(undeclared(target, bindings, loc)),
                Some(k) if k.spec().access.is_empty() => out.push(Finding::new(
                    WRONG_KIND,
                    loc.clone(),
                    format!("a {} is not reached through IAM: `{target}` cannot be granted", k.spec().noun),
                    "remove the grant; network access is declared with `Ingress`",
                )),
                Some(k) if k.spec().access(level).is_none() => out.push(Finding::new(
                    UNKNOWN_ATTRIBUTE,
                    loc.clone(),
                    format!(
                        "{} `{target}` has no access level `{level}`{}",
                        k.spec().noun,
                        hint(did_you_mean(level, k.spec().access.iter().map(|a| a.level)))
                    ),
                    format!("grant one of: {}", k.spec().access.iter().map(|a| format!("{target}.{}", a.level)).collect::<Vec<_>>().join(", ")),
                )),
                Some(_) => {}
            },
            Value::Call { name, args } if name == "Raw" => {
                let ok = args.len() == 2
                    && args.iter().all(|a| matches!(a, Value::List(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Str(_)))));
                if !ok {
                    out.push(Finding::new(
                        WRONG_TYPE,
                        loc.clone(),
                        "`Raw` takes two non-empty lists of strings: actions, then resource ARNs",
                        "write `Raw([\"service:Action\"], [\"arn:...\"])`, or better a typed grant like `bucket.write`",
                    ));
                }
            }
            Value::Word(w) if kind_of(w).is_some() => {
                let k = kind_of(w).expect("checked");
                out.push(Finding::new(
                    WRONG_TYPE,
                    loc.clone(),
                    format!("a grant names an access level of `{w}`, not the whole {}", k.spec().noun),
                    if k.spec().access.is_empty() {
                        "remove it: this kind is not reached through IAM".to_owned()
                    } else {
                        format!("grant one of: {}", k.spec().access.iter().map(|a| format!("{w}.{}", a.level)).collect::<Vec<_>>().join(", "))
                    },
                ))
            }
            Value::Word(w) => out.push(undeclared(w, bindings, loc)),
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::Code => match value {
            Value::Call { name, args } if ["Bin", "Dir", "Inline"].contains(&name.as_str()) => {
                if !matches!(args.as_slice(), [Value::Str(_)]) {
                    out.push(Finding::new(
                        WRONG_TYPE,
                        loc.clone(),
                        format!("`{name}` takes one string"),
                        format!("write `{name}(\"...\")`"),
                    ));
                }
            }
            Value::Call { name, .. } => out.push(Finding::new(
                WRONG_TYPE,
                loc.clone(),
                format!("`{name}` is not a code source{}", hint(did_you_mean(name, ["Bin", "Dir"]))),
                "write `Bin(\"binary-name\")` (a binary of this crate) or `Dir(\"path\")`",
            )),
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::List(inner) => match value {
            Value::List(items) => {
                for (n, item) in items.iter_mut().enumerate() {
                    check_value(bindings, inner, item, key, &loc.push(Seg::Index(n)), out);
                }
            }
            other => out.push(wrong_type(key, ty, other, loc)),
        },
        Ty::Env => match value {
            Value::Map(entries) => {
                for (name, v) in entries.iter_mut() {
                    let entry = loc.push(Seg::Key(name.clone()));
                    if !is_env_name(name) {
                        out.push(Finding::new(
                            WRONG_TYPE,
                            Loc { resource: entry.resource, path: { let mut p = loc.path.clone(); p.push(Seg::Field(name.clone())); p } },
                            format!("environment variable `{name}` is not UPPER_SNAKE_CASE"),
                            format!("name it `{}`", name.to_uppercase()),
                        ));
                    }
                    check_value(bindings, &Ty::Value, v, name, &entry, out);
                }
            }
            other => out.push(wrong_type(key, ty, other, loc)),
        },
    }
}

fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Constraints between properties of one resource.
fn check_cross_property(stack: &Stack, out: &mut Vec<Finding>) {
    for (i, r) in stack.resources.iter().enumerate() {
        match r.kind {
            Kind::Alarm => {
                let (Some(metric), Some(target)) = (r.word("metric").and_then(alarm::metric), r.target("on")) else { continue };
                if let Some(t) = stack.resolve(target) {
                    if t.kind != metric.1 {
                        out.push(Finding::new(
                            WRONG_KIND,
                            Loc::prop(i, "metric"),
                            format!("metric `{}` watches a {}, but `{target}` is a {}", metric.0, metric.1.spec().noun, t.kind.spec().noun),
                            format!(
                                "use one of: {}",
                                alarm::METRICS.iter().filter(|m| m.1 == t.kind).map(|m| m.0).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                }
            }
            Kind::EventSource if r.get("stream").is_some() == r.get("queue").is_some() => out.push(Finding::new(
                if r.get("stream").is_some() { WRONG_TYPE } else { MISSING },
                Loc::resource(i),
                "an event source reads one source: a `stream` or a `queue`",
                "write either `stream: <stream>` or `queue: <queue>`",
            )),
            Kind::Ingress if r.get("from").is_none() && r.get("cidr").is_none() => out.push(Finding::new(
                MISSING,
                Loc::resource(i),
                "an ingress rule needs a source",
                "add `from: <security group>` (or, rarely, `cidr: \"10.0.0.0/16\"`)",
            )),
            Kind::Ingress if r.get("from").is_some() && r.get("cidr").is_some() => out.push(Finding::new(
                WRONG_TYPE,
                Loc::prop(i, "cidr"),
                "an ingress rule has one source, `from` or `cidr`, not both",
                "declare a second `Ingress` for the second source",
            )),
            _ => {}
        }
    }
}
