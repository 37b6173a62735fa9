//! What a resource written as raw CloudFormation says about its data and about who can reach
//! it, read off its properties: the table the rules judge raw resources by, so that a check
//! written for a kind also reaches the same CloudFormation written by hand.
//!
//! The table is derived from the registry schemas the crate ships (`registry`): a property
//! is a setting by its name (`StorageEncrypted`, `DeletionProtection`,
//! `BackupRetentionPeriod`, `PubliclyAccessible`, ..., at any depth), read as the schema types
//! it. [`CURATED`] adds what the names do not say: which types hold data beyond cfn-lint's
//! stateful list, a type that cannot encrypt (or always does), settings whose words vary
//! (`DeletionProtection: "ACTIVE"`), and properties that look like a setting but are not one,
//! each with its reason. `tap-core/tests/coverage.rs` holds it complete: a data-holding or
//! protection property no rule reads fails it, and `docs/COVERAGE.md` is generated from it.
//!
//! A lifecycle setting (protection, backups, recovery, snapshots) that is left out is
//! written by tap for each lifecycle, as it is for kinds ([`derive`]); one that is written
//! is judged against every lifecycle the stack supports.

mod coverage;
mod curated;

pub use coverage::{all_types, coverage_table, gaps};
pub use curated::{curated, Curated, CURATED, NOT_RESOURCE_POLICIES, PERMISSIONS, POLICY_NAMES};

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value as Json;

use super::registry::{self, TypeSchema};
use crate::model::{At, Loc, Seg, Value};

/// What a setting protects, and so which rule reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Encrypts the data at rest (TAP-ENC-001).
    AtRest,
    /// Encrypts it on the wire (TAP-ENC-001).
    InTransit,
    /// Refuses a delete: off when ephemeral (TAP-DESTROY-003); on when durable, for a type
    /// that holds data (TAP-KEEP-002).
    Protection,
    /// Days of automated backups: the type's least when ephemeral (TAP-DESTROY-004), a week
    /// when durable (TAP-KEEP-003).
    Backups,
    /// Point-in-time recovery, or a flag that keeps backups: off when ephemeral
    /// (TAP-DESTROY-004), on when durable (TAP-KEEP-003).
    Recovery,
    /// Days of automatic snapshots: none when ephemeral (TAP-DESTROY-005), a week when
    /// durable (TAP-KEEP-003).
    Snapshots,
    /// Reachable from the internet (TAP-PUBLIC-002).
    Public,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::AtRest,
        Role::InTransit,
        Role::Protection,
        Role::Backups,
        Role::Recovery,
        Role::Snapshots,
        Role::Public,
    ];

    /// The rules that read a setting of this role, for the coverage table.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Role::AtRest | Role::InTransit => &["TAP-ENC-001"],
            Role::Protection => &["TAP-DESTROY-003", "TAP-KEEP-002"],
            Role::Backups | Role::Recovery => &["TAP-DESTROY-004", "TAP-KEEP-003"],
            Role::Snapshots => &["TAP-DESTROY-005", "TAP-KEEP-003"],
            Role::Public => &["TAP-PUBLIC-002"],
        }
    }
    /// Whether tap writes it per lifecycle when it is left out.
    fn follows_lifecycle(self) -> bool {
        matches!(self, Role::Protection | Role::Backups | Role::Recovery | Role::Snapshots)
    }
}

/// How a written value reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Read {
    /// `true` is on.
    Flag,
    /// A word: `off` is off, any other word on; tap writes `on`.
    Word { on: &'static str, off: &'static str },
    /// A number of days; `min` is the least the type accepts.
    Days { min: i64 },
}

/// One property of a type that a rule reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// From `Properties`: `BackupRetentionPeriod`, `Replicas[].DeletionProtectionEnabled`.
    pub path: String,
    pub role: Role,
    pub read: Read,
}

/// What a value says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum State {
    On,
    Off,
    Days(i64),
    /// Not written.
    Absent,
    /// Known only at deployment (a reference), or written wrong (reported already).
    Unknown,
}

impl State {
    pub fn on(self) -> bool {
        self == State::On
    }
}

/// A setting as one resource writes it (once per element, under a list).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub state: State,
    /// The value's location, or its parent's (the resource's) when it is not written.
    pub loc: Loc,
}

/// How a type's data at rest is encrypted, when its properties do not say it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AtRest {
    /// By its settings of role [`Role::AtRest`] (one must be on).
    Settings,
    /// Always, by the service: nothing to write.
    Always(&'static str),
    /// Never: the type cannot encrypt its data, so it cannot hold it. The fix.
    Never(&'static str),
}

/// Setting names the derivation knows (the end of a path), with their role.
const BY_NAME: &[(&str, Role)] = &[
    ("StorageEncrypted", Role::AtRest),
    ("Encrypted", Role::AtRest),
    ("AtRestEncryptionEnabled", Role::AtRest),
    ("EncryptionAtRestOptions.Enabled", Role::AtRest),
    ("SSESpecification.SSEEnabled", Role::AtRest),
    ("TransitEncryptionEnabled", Role::InTransit),
    ("NodeToNodeEncryptionOptions.Enabled", Role::InTransit),
    ("DomainEndpointOptions.EnforceHTTPS", Role::InTransit),
    ("TLSEnabled", Role::InTransit),
    ("DeletionProtection", Role::Protection),
    ("DeletionProtectionEnabled", Role::Protection),
    ("TerminationProtectionEnabled", Role::Protection),
    ("DisableApiTermination", Role::Protection),
    ("BackupRetentionPeriod", Role::Backups),
    ("AutomaticBackupRetentionDays", Role::Backups),
    ("AutomatedSnapshotRetentionPeriod", Role::Backups),
    ("PointInTimeRecoveryEnabled", Role::Recovery),
    ("SnapshotRetentionLimit", Role::Snapshots),
    ("PubliclyAccessible", Role::Public),
    ("IsPubliclyAccessible", Role::Public),
];

/// `a.b[].c` ends with the segments of `name` (`b.c`, or `c`).
fn ends_with(path: &str, name: &str) -> bool {
    let clean = path.replace("[]", "");
    clean == name || clean.ends_with(&format!(".{name}"))
}

/// The settings of a type: derived from its schema, then the curated ones.
pub fn settings(schema: &'static TypeSchema) -> &'static [Setting] {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static [Setting]>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().ok().and_then(|c| c.get(schema.ty).copied()) {
        return s;
    }
    let curated = curated(schema.ty);
    let ignored = |p: &str| {
        curated.is_some_and(|c| c.ignore.iter().any(|(i, _)| *i == p) || c.settings.iter().any(|(s, _, _)| *s == p))
    };
    let mut out = Vec::new();
    for (path, shape) in schema.paths() {
        if ignored(&path) || schema.read_only.contains(&path) {
            continue;
        }
        let Some(&(_, role)) = BY_NAME.iter().find(|(name, _)| ends_with(&path, name)) else { continue };
        let read = match shape.single_type() {
            Some("boolean") => Read::Flag,
            Some("integer" | "number") => Read::Days { min: shape.minimum_integer().unwrap_or(0).max(0) },
            _ => continue,
        };
        out.push(Setting { path, role, read });
    }
    for &(path, role, read) in curated.map(|c| c.settings).unwrap_or_default() {
        out.push(Setting { path: path.to_owned(), role, read });
    }
    let leaked: &'static [Setting] = Box::leak(out.into_boxed_slice());
    if let Ok(mut c) = cache.lock() {
        c.insert(schema.ty, leaked);
    }
    leaked
}

/// The type holds data: cfn-lint's stateful types and the curated ones.
pub fn holds_data(schema: &TypeSchema) -> bool {
    schema.stateful || curated(schema.ty).is_some_and(|c| c.data)
}

/// How the type's data at rest is encrypted (for a type that holds data).
pub fn at_rest(schema: &'static TypeSchema) -> AtRest {
    curated(schema.ty).and_then(|c| c.at_rest).unwrap_or(AtRest::Settings)
}

/// The properties that carry a resource policy (an IAM policy document), by type.
pub fn policy_properties(schema: &TypeSchema) -> Vec<&'static str> {
    if NOT_RESOURCE_POLICIES.iter().any(|(t, _)| *t == schema.ty) {
        return Vec::new();
    }
    POLICY_NAMES.iter().copied().filter(|n| schema.property(n).is_some()).collect()
}

/// A reading of `setting` in a resource's properties: one per element under a list; none
/// when a parent that is not there makes the setting moot (a configuration of another file
/// system type).
pub fn read(props: &[(String, At<Value>)], malformed: &[String], resource: usize, setting: &Setting) -> Vec<Reading> {
    let mut segs = setting.path.split('.');
    let first = segs.next().unwrap_or_default();
    let (key, list) = first.strip_suffix("[]").map_or((first, false), |k| (k, true));
    if malformed.iter().any(|m| m == key) {
        return vec![Reading { state: State::Unknown, loc: Loc::resource(resource) }];
    }
    let rest: Vec<&str> = segs.collect();
    // Encryption left out is off, however deep its setting: the parent holds no choice.
    let whole = matches!(setting.role, Role::AtRest | Role::InTransit);
    match props.iter().find(|(k, _)| k == key) {
        None if rest.is_empty() || whole || CREATED_PARENTS.contains(&key) => {
            vec![Reading { state: State::Absent, loc: Loc::resource(resource) }]
        }
        None => Vec::new(),
        Some((_, v)) => {
            let mut out = Vec::new();
            walk(&v.value, &v.loc, list, &rest, setting.read, whole, &mut out);
            out
        }
    }
}

/// Parents tap creates to write a setting under them (the others hold a choice: an FSx
/// file system has one of four configurations).
const CREATED_PARENTS: &[&str] = &["PointInTimeRecoverySpecification", "BackupPolicy"];

fn walk(v: &Value, loc: &Loc, list: bool, rest: &[&str], read: Read, whole: bool, out: &mut Vec<Reading>) {
    if list {
        if let Value::List(items) = v {
            for (n, x) in items.iter().enumerate() {
                walk(x, &loc.push(Seg::Index(n)), false, rest, read, whole, out);
            }
        } else {
            out.push(Reading { state: State::Unknown, loc: loc.clone() });
        }
        return;
    }
    let Some((head, tail)) = rest.split_first() else {
        out.push(Reading { state: state(v, read), loc: loc.clone() });
        return;
    };
    let (key, list) = head.strip_suffix("[]").map_or((*head, false), |k| (k, true));
    match v {
        Value::Map(entries) => match entries.iter().find(|(k, _)| k == key) {
            Some((_, x)) => walk(x, &loc.push(Seg::Key(key.to_owned())), list, tail, read, whole, out),
            None if tail.is_empty() || whole || CREATED_PARENTS.contains(&key) => {
                out.push(Reading { state: State::Absent, loc: loc.clone() })
            }
            None => {}
        },
        _ => out.push(Reading { state: State::Unknown, loc: loc.clone() }),
    }
}

fn state(v: &Value, read: Read) -> State {
    match (read, v) {
        (Read::Flag, Value::Bool(b)) => {
            if *b {
                State::On
            } else {
                State::Off
            }
        }
        (Read::Word { off, .. }, Value::Str(s)) => {
            if s == off {
                State::Off
            } else {
                State::On
            }
        }
        (Read::Days { .. }, Value::Int(n)) => State::Days(*n),
        _ => State::Unknown,
    }
}

/// The value tap writes for a lifecycle setting left out, if any: off, none or the least
/// when ephemeral; on, or a week, when durable (`keep`) for a type that holds data.
pub fn lifecycle_value(setting: &Setting, keep: bool, data: bool) -> Option<Json> {
    if !setting.role.follows_lifecycle() {
        return None;
    }
    if keep && !data {
        return None;
    }
    Some(match (setting.read, keep) {
        (Read::Flag, keep) => Json::Bool(keep),
        (Read::Word { on, off }, keep) => Json::String(if keep { on } else { off }.to_owned()),
        (Read::Days { min }, false) => Json::from(if setting.role == Role::Snapshots { 0 } else { min }),
        (Read::Days { min }, true) => Json::from(min.max(crate::cfn::DURABLE_BACKUP_DAYS)),
    })
}

/// Writes the lifecycle settings a raw resource left out into its template properties, for
/// a durable deployment (`keep`) or an ephemeral one.
pub fn derive(schema: &'static TypeSchema, props: &mut serde_json::Map<String, Json>, keep: bool) {
    let data = holds_data(schema);
    for setting in settings(schema) {
        let Some(value) = lifecycle_value(setting, keep, data) else { continue };
        let segs: Vec<&str> = setting.path.split('.').collect();
        put(props, &segs, &value);
    }
}

fn put(obj: &mut serde_json::Map<String, Json>, segs: &[&str], value: &Json) {
    let Some((head, tail)) = segs.split_first() else { return };
    let (key, list) = head.strip_suffix("[]").map_or((*head, false), |k| (k, true));
    if tail.is_empty() {
        obj.entry(key.to_owned()).or_insert_with(|| value.clone());
        return;
    }
    if !obj.contains_key(key) && !list && CREATED_PARENTS.contains(&key) {
        obj.insert(key.to_owned(), Json::Object(Default::default()));
    }
    match obj.get_mut(key) {
        Some(Json::Object(inner)) if !list => put(inner, tail, value),
        Some(Json::Array(items)) if list => {
            for item in items {
                if let Json::Object(inner) = item {
                    put(inner, tail, value);
                }
            }
        }
        _ => {}
    }
}
