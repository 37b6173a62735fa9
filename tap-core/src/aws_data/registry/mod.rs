//! The CloudFormation registry schemas (generated from the pinned cfn-lint by
//! `scripts/gen-cfn-data`, us-east-1), compact, and the check of a resource's properties
//! against them: unknown properties (with the closest), types, enums, patterns, lengths,
//! ranges, required properties, nested shapes. Intrinsic functions (`Ref`, `Fn::…`) are
//! values only the deployment knows: they pass. A pattern Rust's `regex` cannot compile
//! (look-arounds) is reported as not checked, never silently passed.
//!
//! The table is loaded lazily: an index of the types on first use, and only the schemas of
//! the types asked for are parsed.

mod check;

pub use check::{Problem, Report, Unchecked};

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use serde::Deserialize;
use serde_json::{Number, Value as Json};

use crate::finding::did_you_mean;

const DATA: &str = include_str!("../../../data/schemas.tsv");

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
    let (ty, text) = index().get_key_value(ty)?;
    // The table is generated and tested (every line parses): a line that does not is a
    // defect of the table, reported as the type being unknown rather than a panic in the macro.
    let entry: Entry = serde_json::from_str(text).ok()?;
    let schema: &'static TypeSchema = Box::leak(Box::new(TypeSchema {
        ty,
        required: entry.required.clone(),
        read_only: entry.read_only,
        create_only: entry.create_only,
        primary_identifier: entry.primary_identifier,
        stateful: entry.stateful == 1,
        shape: Shape {
            types: Some(Types::One("object".to_owned())),
            properties: Some(entry.properties),
            required: entry.required,
            closed: Some(0),
            ..Shape::EMPTY
        },
        defs: entry.definitions,
    }));
    parsed.lock().ok()?.insert(ty.to_string(), schema);
    Some(schema)
}

/// One line of the table: a type's schema as `scripts/gen-cfn-data` writes it. The short
/// keys keep the table (which the macro embeds) small; these renames are their one legend.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(rename = "p", default)]
    properties: BTreeMap<String, Shape>,
    #[serde(rename = "r", default)]
    required: Vec<String>,
    #[serde(rename = "ro", default)]
    read_only: Vec<String>,
    #[serde(rename = "co", default)]
    create_only: Vec<String>,
    #[serde(rename = "pi", default)]
    primary_identifier: Vec<String>,
    #[serde(rename = "d", default)]
    definitions: HashMap<String, Shape>,
    /// 1: cfn-lint lists the type as stateful.
    #[serde(rename = "s", default)]
    stateful: u8,
    /// 1: the schema also constrains combinations (oneOf, anyOf, allOf, dependentRequired),
    /// which tap does not check: cfn-lint does, on every emitted template.
    #[serde(rename = "x", default)]
    _combinations: u8,
}

/// A value's schema, as far as tap checks it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// The JSON type, or the types it may be.
    #[serde(rename = "t")]
    types: Option<Types>,
    /// A definition of the type's schema this one is (`#/definitions/NAME`).
    #[serde(rename = "ref")]
    reference: Option<String>,
    #[serde(rename = "p")]
    properties: Option<BTreeMap<String, Shape>>,
    #[serde(rename = "r", default)]
    required: Vec<String>,
    /// Present (as 0) when no property other than `properties` is allowed.
    #[serde(rename = "a")]
    closed: Option<u8>,
    /// The shape of a list's items.
    #[serde(rename = "i")]
    items: Option<Box<Shape>>,
    /// The values allowed (strings, or numbers a string may spell).
    #[serde(rename = "e")]
    allowed: Option<Vec<Json>>,
    #[serde(rename = "pa")]
    pattern: Option<String>,
    #[serde(rename = "nl")]
    min_length: Option<Number>,
    #[serde(rename = "xl")]
    max_length: Option<Number>,
    #[serde(rename = "mn")]
    minimum: Option<Number>,
    #[serde(rename = "mx")]
    maximum: Option<Number>,
    #[serde(rename = "ni")]
    min_items: Option<Number>,
    #[serde(rename = "xi")]
    max_items: Option<Number>,
    /// 1: alternatives (oneOf, anyOf, allOf, patternProperties) tap checks only as far as
    /// the rest of the shape goes.
    #[serde(rename = "x", default)]
    _alternatives: u8,
}

/// The shape of a definition the schema does not have: it checks nothing.
static NOTHING: Shape = Shape::EMPTY;

/// `"string"` or `["string", "object"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Types {
    One(String),
    Any(Vec<String>),
}

impl Shape {
    /// A shape that checks nothing (a definition the schema does not have).
    const EMPTY: Shape = Shape {
        types: None,
        reference: None,
        properties: None,
        required: Vec::new(),
        closed: None,
        items: None,
        allowed: None,
        pattern: None,
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        _alternatives: 0,
    };

    /// The JSON type, when the schema names exactly one.
    pub fn single_type(&self) -> Option<&str> {
        match &self.types {
            Some(Types::One(t)) => Some(t),
            _ => None,
        }
    }

    /// The minimum, when it is a whole number.
    pub fn minimum_integer(&self) -> Option<i64> {
        self.minimum.as_ref().and_then(Number::as_i64)
    }

    fn types(&self) -> Vec<&str> {
        match &self.types {
            Some(Types::One(t)) => vec![t.as_str()],
            Some(Types::Any(ts)) => ts.iter().map(String::as_str).collect(),
            None => Vec::new(),
        }
    }
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
    shape: Shape,
    defs: HashMap<String, Shape>,
}

/// Properties whose change makes CloudFormation replace the resource though the registry
/// schema does not list them as create-only (its reference says "Update requires:
/// Replacement"): a table's key schema and local indexes, which DynamoDB fixes at creation.
const ALSO_REPLACING: &[(&str, &[&str])] = &[
    ("AWS::DynamoDB::Table", &["KeySchema", "LocalSecondaryIndexes"]),
    ("AWS::DynamoDB::GlobalTable", &["KeySchema", "LocalSecondaryIndexes"]),
];

impl TypeSchema {
    /// The top-level properties whose change replaces the resource: the create-only ones,
    /// and those CloudFormation replaces on though the schema does not say so.
    pub fn replacing(&self) -> Vec<&str> {
        let also = ALSO_REPLACING.iter().filter(|(t, _)| *t == self.ty).flat_map(|(_, ps)| ps.iter().copied());
        self.create_only.iter().map(String::as_str).chain(also).collect()
    }
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
        let table = schema("AWS::DynamoDB::Table").unwrap();
        assert!(!table.create_only.contains(&"KeySchema".to_owned()), "the registry says so; the list adds it");
        assert!(table.replacing().contains(&"KeySchema") && table.replacing().contains(&"TableName"));
    }

    /// Every line of the table parses into the named fields (`deny_unknown_fields`: a key the
    /// generator starts writing must be named here before the table loads).
    #[test]
    fn every_type_of_the_table_parses() {
        let unparsed: Vec<&str> = types().filter(|t| schema(t).is_none()).collect();
        assert!(unparsed.is_empty(), "{unparsed:?}");
        let bucket = schema("AWS::S3::Bucket").unwrap();
        let (_, versioning) = bucket.paths().into_iter().find(|(p, _)| p == "VersioningConfiguration.Status").unwrap();
        assert!(versioning.allowed.as_ref().is_some_and(|e| e.contains(&json!("Enabled"))));
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
