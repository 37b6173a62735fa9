//! A resource's properties checked against its registry schema: unknown properties (with
//! the closest), types, enums, patterns, lengths, ranges, required properties, nested shapes.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Number, Value as Json};

use super::{Shape, TypeSchema, NOTHING};
use crate::finding::did_you_mean;

/// One way a resource's properties break its schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where, from `Properties`: `Targets[0].Arn`.
    pub path: String,
    pub message: String,
}

/// The outcome of a check: what is wrong, and what could not be checked (patterns the
/// Rust engine does not compile).
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// Values whose pattern Rust's regex cannot compile (look-arounds, back-references):
    /// not judged here, and said so.
    pub unchecked: Vec<Unchecked>,
}

/// A value left unchecked against its pattern, with what a fuller regex engine needs to check it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unchecked {
    pub path: String,
    pub pattern: String,
    pub value: String,
}

impl std::fmt::Display for Unchecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Unchecked { path, pattern, value } = self;
        write!(f, "{path}: the pattern {pattern} uses what Rust's regex does not support: \"{value}\" was not checked against it")
    }
}

impl TypeSchema {
    /// Checks a resource's `Properties` (template JSON, intrinsics allowed).
    pub fn check(&self, props: &Json) -> Report {
        let mut report = Report::default();
        self.value(&self.shape, props, "", &mut report, 0);
        report
    }

    /// The shape a property has, for checks of one value (`None` for an unknown property).
    pub fn property(&self, name: &str) -> Option<&Shape> {
        self.shape.properties.as_ref()?.get(name)
    }
    /// Every property name, for did-you-mean.
    pub fn property_names(&self) -> impl Iterator<Item = &str> {
        self.shape.properties.iter().flat_map(|m| m.keys().map(String::as_str))
    }

    /// Every property path of the type, nested ones too, with its shape: `Replicas[].SSESpecification.SSEEnabled`.
    /// (A definition that refers to itself is walked once.)
    pub fn paths(&self) -> Vec<(String, &Shape)> {
        let mut out = Vec::new();
        self.walk(&self.shape, "", &mut out, &mut Vec::new());
        out
    }
    fn walk<'a>(&'a self, shape: &'a Shape, path: &str, out: &mut Vec<(String, &'a Shape)>, seen: &mut Vec<&'a str>) {
        let reference = shape.reference.as_deref();
        if let Some(r) = reference {
            if seen.contains(&r) || seen.len() > 8 {
                return;
            }
            seen.push(r);
        }
        let shape = self.resolve(shape);
        for (k, v) in shape.properties.iter().flatten() {
            let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            out.push((here.clone(), self.resolve(v)));
            self.walk(v, &here, out, seen);
        }
        if let Some(items) = &shape.items {
            self.walk(items, &format!("{path}[]"), out, seen);
        }
        if reference.is_some() {
            seen.pop();
        }
    }

    fn resolve<'a>(&'a self, shape: &'a Shape) -> &'a Shape {
        let mut s = shape;
        for _ in 0..8 {
            match &s.reference {
                Some(name) => s = self.defs.get(name).unwrap_or(&NOTHING),
                None => break,
            }
        }
        s
    }

    fn value(&self, shape: &Shape, v: &Json, path: &str, out: &mut Report, depth: usize) {
        if depth > 32 || is_intrinsic(v) {
            return;
        }
        let shape = self.resolve(shape);
        let mut problem = |message: String| out.problems.push(Problem { path: path.to_owned(), message });
        let allowed = shape.types();
        if !allowed.is_empty() && !allowed.iter().any(|t| fits(t, v)) {
            problem(format!("expected {}, found {}", allowed.join(" or "), kind_of(v)));
            return;
        }
        match v {
            Json::String(s) => self.string(shape, s, path, out),
            Json::Number(n) => {
                let x = n.as_f64().unwrap_or_default();
                if let Some(min) = shape.minimum.as_ref().and_then(Number::as_f64).filter(|m| x < *m) {
                    problem(format!("{n} is below the minimum {min}"));
                }
                if let Some(max) = shape.maximum.as_ref().and_then(Number::as_f64).filter(|m| x > *m) {
                    problem(format!("{n} is above the maximum {max}"));
                }
            }
            Json::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = shape.min_items.as_ref().and_then(Number::as_u64).filter(|m| count < *m) {
                    problem(format!("{} items, at least {min} expected", items.len()));
                }
                if let Some(max) = shape.max_items.as_ref().and_then(Number::as_u64).filter(|m| count > *m) {
                    problem(format!("{} items, at most {max} allowed", items.len()));
                }
                if let Some(item) = &shape.items {
                    for (n, x) in items.iter().enumerate() {
                        self.value(item, x, &format!("{path}[{n}]"), out, depth + 1);
                    }
                }
            }
            Json::Object(map) => {
                let Some(props) = &shape.properties else { return };
                for (k, x) in map {
                    let at = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    match props.get(k) {
                        Some(s) => self.value(s, x, &at, out, depth + 1),
                        None if shape.closed.is_some() => {
                            let near = did_you_mean(k, props.keys().map(String::as_str))
                                .map(|n| format!("; did you mean `{n}`?"))
                                .unwrap_or_default();
                            out.problems.push(Problem { path: at, message: format!("unknown property `{k}`{near}") });
                        }
                        None => {}
                    }
                }
                for r in &shape.required {
                    if !map.contains_key(r) {
                        out.problems.push(Problem {
                            path: path.to_owned(),
                            message: format!("required property `{r}` is missing"),
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// A string against the shape's enum, lengths and pattern.
    fn string(&self, shape: &Shape, s: &str, path: &str, out: &mut Report) {
        let mut problem = |message: String| out.problems.push(Problem { path: path.to_owned(), message });
        if let Some(e) = &shape.allowed {
            // A listed number or boolean matches the string of its JSON text (clippy's `*x ==
            // s` would compare strings only).
            #[allow(clippy::cmp_owned)]
            let listed = e.iter().any(|x| x.as_str() == Some(s) || x.to_string() == s);
            if !listed {
                let words: Vec<&str> = e.iter().filter_map(Json::as_str).collect();
                let near = did_you_mean(s, words.iter().copied())
                    .map(|n| format!("; did you mean \"{n}\"?"))
                    .unwrap_or_default();
                problem(format!("\"{s}\" is not one of {}{near}", list(&words)));
            }
        }
        let n = s.chars().count() as i64;
        if let Some(min) = shape.min_length.as_ref().and_then(Number::as_i64).filter(|m| n < *m) {
            problem(format!("\"{s}\" is shorter than {min} characters"));
        }
        if let Some(max) = shape.max_length.as_ref().and_then(Number::as_i64).filter(|m| n > *m) {
            problem(format!("\"{s}\" is longer than {max} characters"));
        }
        if let Some(p) = &shape.pattern {
            match regex(p) {
                Some(re) if !re.is_match(s) => problem(format!("\"{s}\" does not match the pattern {p}")),
                Some(_) => {}
                None => {
                    out.unchecked.push(Unchecked { path: path.to_owned(), pattern: p.clone(), value: s.to_owned() })
                }
            }
        }
    }
}

/// `{"Ref": ..}` or `{"Fn::…": ..}`: known only at deployment.
fn is_intrinsic(v: &Json) -> bool {
    v.as_object()
        .is_some_and(|m| m.len() == 1 && m.keys().all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")))
}

/// CloudFormation's own coercions: a number or boolean may stand for a string and the
/// reverse, as the service receives them all as strings.
fn fits(t: &str, v: &Json) -> bool {
    match (t, v) {
        ("string", Json::String(_) | Json::Number(_) | Json::Bool(_)) => true,
        ("integer", Json::Number(n)) => n.is_i64() || n.is_u64(),
        ("integer", Json::String(s)) => s.parse::<i64>().is_ok(),
        ("number", Json::Number(_)) => true,
        ("number", Json::String(s)) => s.parse::<f64>().is_ok(),
        ("boolean", Json::Bool(_)) => true,
        ("boolean", Json::String(s)) => s == "true" || s == "false",
        ("array", Json::Array(_)) | ("object", Json::Object(_)) => true,
        _ => false,
    }
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn list(words: &[&str]) -> String {
    if words.len() <= 8 {
        words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
    } else {
        format!("{} values", words.len())
    }
}

/// A pattern compiled once; `None` when Rust's engine does not support it.
fn regex(pattern: &str) -> Option<&'static regex::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<&'static regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().ok()?;
    *cache
        .entry(pattern.to_owned())
        .or_insert_with(|| regex::Regex::new(pattern).ok().map(|r| &*Box::leak(Box::new(r))))
}
