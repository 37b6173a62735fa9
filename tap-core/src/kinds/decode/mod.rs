//! Decode: the first stage. Each resource of the property bag becomes its kind's struct
//! (see `props!`): closed vocabularies become enums, references become indices of
//! resources of the right kind, attributes and access levels become the kind's own
//! definitions, and every problem is a finding on the token written. After this stage
//! nothing is looked up by a string key: an unknown word cannot reach a rule or the
//! template. Only validation runs the decoder; rules read its result, [`super::view`].

//!
//! The folder is split by value shape: [`literals`], [`refs`] (references to resources and
//! their attributes), [`env`], [`grants`]. A kind with a value shape of its own (an API's
//! routes, a table's indexes) implements [`FromValue`] for it in its own file, with
//! [`Ty::Shape`] as its type: the decoder's one open extension point, which needs no edit
//! here.

mod env;
mod grants;
mod literals;
mod refs;

use std::collections::HashMap;

use super::schema::{Removal, Ty};
use super::value::*;
use super::Kind;
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::model::{Loc, Resource, Value};

/// A property type: how a written [`Value`] becomes a typed one.
pub trait FromValue: Sized {
    fn ty() -> Ty;
    /// Decodes the value written for `key` at `loc`, or reports why it cannot.
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self>;
}

/// A kind's struct, decoded from a resource of the bag (`props!` writes this).
pub trait Decode: Sized {
    const PROPS: &'static [super::schema::Prop];
    fn decode(d: &mut Decoder<'_>) -> Option<Self>;
    // What the rules read of every kind, by the property's name (`props!` finds each one
    // the struct declares, so a kind cannot have one the rules do not see).
    /// The physical name written (`name: opt Name`), for kinds whose name the stack chooses.
    fn physical_name(&self) -> Option<&At<Name>> {
        None
    }
    /// The removal written (`removal: opt Removal`), for kinds that hold data.
    fn removal(&self) -> Option<&At<Removal>> {
        None
    }
    /// Why it is deleted even by a durable deployment (`disposable: opt String`).
    fn disposable(&self) -> Option<&At<String>> {
        None
    }
    /// The deletion protection written (`deletion_protection: opt bool`).
    fn deletion_protection(&self) -> Option<&At<bool>> {
        None
    }
    /// Days of automated backups written (`backup_retention_days: opt Int<..>`): copies of
    /// the data the service keeps, and keeps after the resource is deleted.
    fn backup_retention_days(&self) -> Option<At<i64>> {
        None
    }
    /// Days of snapshots written (`snapshot_retention: opt Int<..>`).
    fn snapshot_retention(&self) -> Option<At<i64>> {
        None
    }
    /// Point-in-time recovery written (`point_in_time_recovery: opt bool`): DynamoDB keeps
    /// a backup of a deleted table for 35 days.
    fn point_in_time_recovery(&self) -> Option<&At<bool>> {
        None
    }
}

/// Binding -> (index, kind): the first declaration of each binding.
pub type Bindings = HashMap<String, (usize, Kind)>;
/// Binding -> CloudFormation type, for raw resources.
pub type RawTypes = HashMap<String, &'static str>;
/// The bindings of existing resources (their kind in [`Bindings`] is the one they stand for).
pub type ExistingSet = std::collections::HashSet<String>;

/// Decodes one resource, collecting every problem in the order its properties were written.
pub struct Decoder<'a> {
    res: &'a Resource,
    index: usize,
    bindings: &'a Bindings,
    raw_types: &'a RawTypes,
    existing: &'a ExistingSet,
    /// Position of the property being decoded, to order findings as written.
    position: usize,
    found: Vec<(usize, Finding)>,
    /// Optional properties written wrong: decoded as absent (so the rest of the resource is
    /// still judged), remembered so that no rule reports them missing as well.
    malformed: Vec<String>,
    pub label: &'a str,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(
        res: &'a Resource,
        index: usize,
        bindings: &'a Bindings,
        raw_types: &'a RawTypes,
        existing: &'a ExistingSet,
        label: &'a str,
    ) -> Self {
        Decoder {
            res,
            index,
            bindings,
            raw_types,
            existing,
            position: 0,
            found: Vec::new(),
            malformed: Vec::new(),
            label,
        }
    }
    /// The kind word (or CloudFormation type) written.
    pub fn kind_word(&self) -> &'a str {
        &self.res.kind
    }
    pub fn index(&self) -> usize {
        self.index
    }
    /// The properties as written, for kinds that read them all (raw resources).
    pub fn props(&self) -> &'a [(String, Value)] {
        &self.res.props
    }
    pub(crate) fn set_position(&mut self, position: usize) {
        self.position = position;
    }
    /// `target.member` in a raw resource: the target exists and has that attribute (a
    /// kind's attribute, or one its registry schema lists as readable).
    pub fn raw_attr(&mut self, target: &str, member: &str, loc: &Loc) -> Option<()> {
        self.attr_ref(&Value::Dot { target: target.to_owned(), member: member.to_owned() }, "", loc, Ty::Attr).map(drop)
    }
    /// The findings, in the order their properties were written (missing ones last), and
    /// the properties that were written but could not be decoded.
    pub(crate) fn finish(mut self) -> (Vec<Finding>, Vec<String>) {
        self.found.sort_by_key(|(p, _)| *p);
        (self.found.into_iter().map(|(_, f)| f).collect(), self.malformed)
    }
    /// Property `key` was written but cannot be judged (a raw resource's value its schema
    /// refuses): the rules treat it as unknown, neither on nor off.
    pub fn malformed(&mut self, key: &str) {
        if !self.malformed.iter().any(|k| k == key) {
            self.malformed.push(key.to_owned());
        }
    }
    pub fn push(&mut self, f: Finding) {
        self.found.push((self.position, f));
    }
    /// A finding about the property written at `position`.
    pub(crate) fn push_at(&mut self, position: usize, f: Finding) {
        self.found.push((position, f));
    }
    fn value(&mut self, key: &str) -> Option<&'a Value> {
        let (pos, (_, v)) = self.res.props.iter().enumerate().find(|(_, (k, _))| k == key)?;
        self.position = pos;
        Some(v)
    }
    /// A required property: reported as missing when absent.
    pub fn req<T: FromValue>(&mut self, key: &str) -> Option<At<T>> {
        match self.value(key) {
            Some(v) => self.decode(v, key),
            None => {
                self.position = usize::MAX;
                let ty = T::ty();
                self.push(Finding::dsl(
                    Dsl::Missing,
                    Loc::resource(self.index),
                    format!("{} is missing required property `{key}`", self.label),
                    format!("add `{key}: <{}>`", ty.describe()),
                ));
                None
            }
        }
    }
    /// An optional property: `None` when absent. Written wrong, it is reported and decoded
    /// as absent, so the resource is still judged on everything else it says.
    pub fn opt<T: FromValue>(&mut self, key: &str) -> Option<Option<At<T>>> {
        match self.value(key) {
            Some(v) => {
                let decoded = self.decode(v, key);
                if decoded.is_none() {
                    self.malformed(key);
                }
                Some(decoded)
            }
            None => Some(None),
        }
    }
    fn decode<T: FromValue>(&mut self, v: &Value, key: &str) -> Option<At<T>> {
        let loc = Loc::prop(self.index, key);
        T::decode(v, key, &loc, self).map(|value| At { value, loc })
    }
    /// The resource a binding names.
    pub fn binding(&self, name: &str) -> Option<(usize, Kind)> {
        self.bindings.get(name).copied()
    }
    pub fn wrong_type(&mut self, key: &str, ty: &Ty, found: &Value, loc: &Loc) {
        self.push(Finding::dsl(
            Dsl::WrongType,
            loc.clone(),
            format!("`{key}` expects {}, found {}", ty.describe(), found.describe()),
            format!("write `{key}: <{}>`", ty.describe()),
        ));
    }
    /// The resource a binding names, or a finding that it names none.
    pub fn declared(&mut self, name: &str, loc: &Loc) -> Option<(usize, Kind)> {
        let found = self.binding(name);
        if found.is_none() {
            self.undeclared(name, loc);
        }
        found
    }
    pub fn undeclared(&mut self, name: &str, loc: &Loc) {
        let suggestion = did_you_mean(name, self.bindings.keys().map(String::as_str));
        self.push(Finding::dsl(
            Dsl::Undeclared,
            loc.clone(),
            format!("`{name}` is not a resource of this stack{}", hint(suggestion)),
            "declare it first with `let name = resource!(Kind { .. });`",
        ));
    }
    /// One of `words`, or a finding.
    pub fn word(&mut self, v: &Value, key: &str, loc: &Loc, words: &[&'static str]) -> Option<&'static str> {
        match v {
            Value::Word(w) => match words.iter().find(|x| **x == w.as_str()) {
                Some(found) => Some(*found),
                None => {
                    self.push(Finding::dsl(
                        Dsl::WrongType,
                        loc.clone(),
                        format!("`{w}` is not a value of `{key}`{}", hint(did_you_mean(w, words.iter().copied()))),
                        format!("use one of: {}", words.join(", ")),
                    ));
                    None
                }
            },
            other => {
                self.wrong_type(key, &Ty::Word(words.to_vec()), other, loc);
                None
            }
        }
    }
    /// `Name("text")`, `Name` one of `names` (`Bin("..")`, `Parameter("..")`): the name and
    /// the string, or a finding. `what` completes "`X` is not {what}"; `fix` lists the forms.
    // Eight arguments: the value, where it is, and the message's parts; a struct for them
    // would be built at each of its call sites and read once.
    #[allow(clippy::too_many_arguments)]
    pub fn string_call(
        &mut self,
        v: &Value,
        key: &str,
        loc: &Loc,
        ty: &Ty,
        names: &[&'static str],
        what: &str,
        fix: &str,
    ) -> Option<(&'static str, String)> {
        let Value::Call { name, args } = v else {
            self.wrong_type(key, ty, v, loc);
            return None;
        };
        let Some(found) = names.iter().copied().find(|n| n == name) else {
            self.push(Finding::dsl(
                Dsl::WrongType,
                loc.clone(),
                format!("`{name}` is not {what}{}", hint(did_you_mean(name, names.iter().copied()))),
                fix,
            ));
            return None;
        };
        match args.as_slice() {
            [Value::Str(s)] => Some((found, s.clone())),
            _ => {
                self.push(Finding::dsl(
                    Dsl::WrongType,
                    loc.clone(),
                    format!("`{name}` takes one string"),
                    format!("write `{name}(\"...\")`"),
                ));
                None
            }
        }
    }
}
