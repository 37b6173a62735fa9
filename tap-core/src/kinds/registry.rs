//! The CloudFormation registry schemas (generated from the pinned cfn-lint by
//! `scripts/gen-cfn-data`, us-east-1), compact, and the check of a resource's properties
//! against them: unknown properties (with the closest), types, enums, patterns, lengths,
//! ranges, required properties, nested shapes. Intrinsic functions (`Ref`, `Fn::…`) are
//! values only the deployment knows: they pass. A pattern Rust's `regex` cannot compile
//! (look-arounds) is reported as not checked, never silently passed.
//!
//! The table is loaded lazily: an index of the types on first use, and only the schemas of
//! the types asked for are parsed.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value as Json;

use crate::finding::did_you_mean;

const DATA: &str = include_str!("../../data/schemas.tsv");

/// Type name -> its schema's JSON text.
fn index() -> &'static HashMap<&'static str, &'static str> {
    static INDEX: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| DATA.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t')).collect())
}

/// Every resource type of the registry.
pub fn types() -> impl Iterator<Item = &'static str> {
    index().keys().copied()
}

/// A resource type's schema, parsed once per process.
pub fn schema(ty: &str) -> Option<&'static TypeSchema> {
    static PARSED: OnceLock<Mutex<HashMap<String, &'static TypeSchema>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    if let Some(s) = parsed.lock().ok()?.get(ty) {
        return Some(s);
    }
    let text = index().get(ty)?;
    let json: Json = serde_json::from_str(text).ok()?;
    let strings = |k: &str| {
        json[k].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    };
    let schema: &'static TypeSchema = Box::leak(Box::new(TypeSchema {
        ty: index().get_key_value(ty)?.0,
        required: strings("r"),
        read_only: strings("ro"),
        create_only: strings("co"),
        primary_identifier: strings("pi"),
        stateful: json["s"] == 1,
        shape: serde_json::json!({ "t": "object", "p": json["p"], "r": json["r"], "a": 0 }),
        defs: json["d"].clone(),
    }));
    parsed.lock().ok()?.insert(ty.to_owned(), schema);
    Some(schema)
}

/// What the registry says about one resource type.
#[derive(Debug)]
pub struct TypeSchema {
    pub ty: &'static str,
    pub required: Vec<String>,
    /// Readable with `Fn::GetAtt` (top-level read-only properties).
    pub read_only: Vec<String>,
    /// Changing one replaces the resource.
    pub create_only: Vec<String>,
    /// What identifies a resource of the type; more than one property means it is named
    /// within a parent (an API's stage), not in the account.
    pub primary_identifier: Vec<String>,
    /// Holds data (cfn-lint's stateful types).
    pub stateful: bool,
    /// The `Properties` object's shape.
    shape: Json,
    defs: Json,
}

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
    pub fn property(&self, name: &str) -> Option<&Json> {
        self.shape["p"].get(name)
    }
    /// Every property name, for did-you-mean.
    pub fn property_names(&self) -> impl Iterator<Item = &str> {
        self.shape["p"].as_object().into_iter().flat_map(|m| m.keys().map(String::as_str))
    }

    /// Every property path of the type, nested ones too, with its shape: `Replicas[].SSESpecification.SSEEnabled`.
    /// (A definition that refers to itself is walked once.)
    pub fn paths(&self) -> Vec<(String, &Json)> {
        let mut out = Vec::new();
        self.walk(&self.shape, "", &mut out, &mut Vec::new());
        out
    }
    fn walk<'a>(&'a self, shape: &'a Json, path: &str, out: &mut Vec<(String, &'a Json)>, seen: &mut Vec<&'a str>) {
        let reference = shape.get("ref").and_then(Json::as_str);
        if let Some(r) = reference {
            if seen.contains(&r) || seen.len() > 8 {
                return;
            }
            seen.push(r);
        }
        let shape = self.resolve(shape);
        if let Some(props) = shape["p"].as_object() {
            for (k, v) in props {
                let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                out.push((here.clone(), self.resolve(v)));
                self.walk(v, &here, out, seen);
            }
        }
        if let Some(items) = shape.get("i") {
            self.walk(items, &format!("{path}[]"), out, seen);
        }
        if reference.is_some() {
            seen.pop();
        }
    }

    fn resolve<'a>(&'a self, shape: &'a Json) -> &'a Json {
        let mut s = shape;
        for _ in 0..8 {
            match s.get("ref").and_then(Json::as_str) {
                Some(name) => s = &self.defs[name],
                None => break,
            }
        }
        s
    }

    fn value(&self, shape: &Json, v: &Json, path: &str, out: &mut Report, depth: usize) {
        if depth > 32 || is_intrinsic(v) {
            return;
        }
        let shape = self.resolve(shape);
        let mut problem = |message: String| out.problems.push(Problem { path: path.to_owned(), message });
        if let Some(types) = shape.get("t") {
            let allowed: Vec<&str> = match types {
                Json::String(t) => vec![t.as_str()],
                Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
                _ => vec![],
            };
            if !allowed.is_empty() && !allowed.iter().any(|t| fits(t, v)) {
                problem(format!("expected {}, found {}", allowed.join(" or "), kind_of(v)));
                return;
            }
        }
        match v {
            Json::String(s) => {
                if let Some(e) = shape.get("e").and_then(Json::as_array) {
                    // A listed number or boolean matches the string of its JSON text.
                    #[allow(clippy::cmp_owned)]
                    let listed = e.iter().any(|x| x.as_str() == Some(s) || x.to_string() == *s);
                    if !listed {
                        let words: Vec<&str> = e.iter().filter_map(Json::as_str).collect();
                        let near = did_you_mean(s, words.iter().copied())
                            .map(|n| format!("; did you mean \"{n}\"?"))
                            .unwrap_or_default();
                        problem(format!("\"{s}\" is not one of {}{near}", list(&words)));
                    }
                }
                let n = s.chars().count() as i64;
                if let Some(min) = shape.get("nl").and_then(Json::as_i64).filter(|m| n < *m) {
                    problem(format!("\"{s}\" is shorter than {min} characters"));
                }
                if let Some(max) = shape.get("xl").and_then(Json::as_i64).filter(|m| n > *m) {
                    problem(format!("\"{s}\" is longer than {max} characters"));
                }
                if let Some(p) = shape.get("pa").and_then(Json::as_str) {
                    match regex(p) {
                        Some(re) if !re.is_match(s) => problem(format!("\"{s}\" does not match the pattern {p}")),
                        Some(_) => {}
                        None => out.unchecked.push(Unchecked {
                            path: path.to_owned(),
                            pattern: p.to_owned(),
                            value: s.to_owned(),
                        }),
                    }
                }
            }
            Json::Number(n) => {
                let x = n.as_f64().unwrap_or_default();
                if let Some(min) = shape.get("mn").and_then(Json::as_f64).filter(|m| x < *m) {
                    problem(format!("{n} is below the minimum {min}"));
                }
                if let Some(max) = shape.get("mx").and_then(Json::as_f64).filter(|m| x > *m) {
                    problem(format!("{n} is above the maximum {max}"));
                }
            }
            Json::Array(items) => {
                if let Some(min) = shape.get("ni").and_then(Json::as_u64).filter(|m| (items.len() as u64) < *m) {
                    problem(format!("{} items, at least {min} expected", items.len()));
                }
                if let Some(max) = shape.get("xi").and_then(Json::as_u64).filter(|m| (items.len() as u64) > *m) {
                    problem(format!("{} items, at most {max} allowed", items.len()));
                }
                if let Some(item) = shape.get("i") {
                    for (n, x) in items.iter().enumerate() {
                        self.value(item, x, &format!("{path}[{n}]"), out, depth + 1);
                    }
                }
            }
            Json::Object(map) => {
                let Some(props) = shape.get("p").and_then(Json::as_object) else { return };
                let closed = shape.get("a").is_some();
                for (k, x) in map {
                    let at = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    match props.get(k) {
                        Some(s) => self.value(s, x, &at, out, depth + 1),
                        None if closed => {
                            let near = did_you_mean(k, props.keys().map(String::as_str))
                                .map(|n| format!("; did you mean `{n}`?"))
                                .unwrap_or_default();
                            out.problems.push(Problem { path: at, message: format!("unknown property `{k}`{near}") });
                        }
                        None => {}
                    }
                }
                for r in shape.get("r").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str) {
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

/// The closest registry type to a misspelt one.
pub fn near_type(ty: &str) -> Option<&'static str> {
    did_you_mean(ty, types())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_holds_every_type_and_what_it_says_of_them() {
        assert!(types().count() > 1800);
        let rule = schema("AWS::Events::Rule").unwrap();
        assert!(rule.read_only.contains(&"Arn".to_owned()));
        assert!(rule.create_only.contains(&"Name".to_owned()));
        assert!(!rule.stateful);
        assert!(schema("AWS::DynamoDB::Table").unwrap().stateful);
        assert_eq!(near_type("AWS::Events::Rul"), Some("AWS::Events::Rule"));
    }

    #[test]
    fn a_valid_resource_passes_intrinsics_included() {
        let rule = schema("AWS::Events::Rule").unwrap();
        let props = json!({
            "Name": { "Fn::Sub": "nightly-${EnvironmentSuffix}" },
            "ScheduleExpression": "rate(5 minutes)",
            "State": "ENABLED",
            "Targets": [{ "Arn": { "Fn::GetAtt": ["Worker", "Arn"] }, "Id": "worker" }],
        });
        let report = rule.check(&props);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn each_kind_of_problem_is_found_where_it_is() {
        let rule = schema("AWS::Events::Rule").unwrap();
        let props = json!({
            "Nam": "x",
            "ScheduleExpression": "every 5 minutes",
            "State": "ENABLD",
            "Description": 3,
            "Targets": [{ "Arn": "arn:aws:lambda:us-east-1:1:function:f" }],
        });
        let problems: Vec<(String, String)> =
            rule.check(&props).problems.into_iter().map(|p| (p.path, p.message)).collect();
        let has = |path: &str, text: &str| problems.iter().any(|(p, m)| p == path && m.contains(text));
        assert!(has("Nam", "did you mean `Name`"), "{problems:?}");
        assert!(has("ScheduleExpression", "does not match the pattern"), "{problems:?}");
        assert!(has("State", "did you mean \"ENABLED\""), "{problems:?}");
        assert!(has("Targets[0]", "required property `Id` is missing"), "{problems:?}");
        let queue = schema("AWS::SQS::Queue").unwrap();
        let p = queue.check(&json!({ "VisibilityTimeout": "soon", "MessageRetentionPeriod": 30 }));
        assert!(
            p.problems.iter().any(|x| x.path == "VisibilityTimeout" && x.message.contains("expected integer")),
            "{:?}",
            p.problems
        );
    }
}
