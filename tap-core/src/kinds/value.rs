//! The typed values a decoded resource holds, and that rules read: a value with where it
//! was written ([`At`]), physical names, bounded integers, references to other resources
//! (by index, typed by the kinds they may point at), environment values, grants, code.
//! Nothing here decodes (that is [`super::decode`]) or writes CloudFormation (that is
//! [`super::emit`]).

use std::marker::PhantomData;

use super::schema::{AttrDef, LevelDef, ServiceDef};
use super::Kind;
pub use crate::model::At;
use crate::model::Loc;

impl<const MIN: i64, const MAX: i64> At<Int<MIN, MAX>> {
    /// The count of days written, whatever the bounds its kind gives it.
    pub fn days(&self) -> At<i64> {
        At { value: self.value.get(), loc: self.loc.clone() }
    }
}

/// Where a finding about an optional property goes: the value if written, else the resource.
pub fn at_or<T>(field: &Option<At<T>>, resource: usize) -> Loc {
    field.as_ref().map(|f| f.loc.clone()).unwrap_or_else(|| Loc::resource(resource))
}

/// A physical name as written: `"inventory-{suffix}"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Name(pub String);

/// A path relative to the file that declares the stack.
#[derive(Clone, Debug, PartialEq)]
pub struct RelPath(pub String);

/// An integer within `MIN..=MAX`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> Int<MIN, MAX> {
    pub fn get(self) -> i64 {
        self.0
    }
}

/// A reference to a whole resource of kind `K` (or of one of the kinds `K` lists).
#[derive(Debug)]
pub struct Ref<K> {
    pub index: usize,
    pub name: String,
    kind: PhantomData<fn() -> K>,
}

impl<K> Ref<K> {
    /// Only the decoder makes one, after it has checked that `index` is a `K`.
    pub(crate) fn new(index: usize, name: String) -> Self {
        Ref { index, name, kind: PhantomData }
    }
}

/// `binding.attr`: one attribute of another resource.
#[derive(Debug)]
pub struct AttrRef {
    pub target: usize,
    pub name: String,
    pub attr: &'static AttrDef,
}

/// An environment value: a resource's attribute, or a literal string.
#[derive(Debug)]
pub enum EnvValue {
    Literal(String),
    Attr(AttrRef),
}

#[derive(Debug)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
    pub loc: Loc,
}

/// A function's `env: { NAME: value, .. }`, in the order written.
#[derive(Debug)]
pub struct Env(pub Vec<EnvVar>);

/// One entry of a function's `grants`.
#[derive(Debug)]
pub enum Grant {
    /// `archive.write`: an access level of a resource of the stack.
    Level { target: usize, name: String, level: &'static LevelDef },
    /// `Raw(["service:Action"], [binding.arn])`: IAM actions tap has no level for, on
    /// resources of the stack. The actions are real IAM actions (checked against the list
    /// cfn-lint ships); a literal resource is kept so TAP-CODE-002 can point at it.
    Raw { actions: Vec<At<String>>, resources: Vec<At<RawResource>> },
}

/// A resource a `Raw` grant names.
#[derive(Debug)]
pub enum RawResource {
    /// `binding.arn`: a resource of the stack.
    Attr(AttrRef),
    /// `Under(binding.Arn, "/*")`: what lies under a resource of the stack (an event bus's
    /// rules, a bucket's objects), its ARN followed by a path.
    Under(AttrRef, String),
    /// A literal: an ARN written into the stack (TAP-CODE-002), or `"*"` (TAP-IAM-002).
    Literal(String),
}

impl RawResource {
    /// The resource of the stack it names, if it names one.
    pub fn target(&self) -> Option<&AttrRef> {
        match self {
            RawResource::Attr(a) | RawResource::Under(a, _) => Some(a),
            RawResource::Literal(_) => None,
        }
    }
}

/// Where a function's code comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Code {
    /// A binary of the crate that declares the stack.
    Bin(String),
    /// A directory holding a `bootstrap`.
    Dir(String),
    /// Source written into the stack (rejected by TAP-CODE-001).
    Inline(String),
}

/// An AWS API, as one of the kinds declares it.
#[derive(Clone, Copy, Debug)]
pub struct Service(pub &'static ServiceDef);

impl PartialEq for Service {
    fn eq(&self, other: &Self) -> bool {
        self.0.word == other.0.word
    }
}

impl Service {
    /// Every service some kind is reached through, in kind order.
    pub fn all() -> impl Iterator<Item = &'static ServiceDef> {
        Kind::ALL.iter().filter_map(|k| k.spec().service)
    }
}

/// The kinds a reference may point at: one kind (every kind's struct), or a marker type
/// listing several (an alarm watches a function or a queue).
pub trait Targets {
    const KINDS: &'static [Kind];
}

/// A boolean property that is written and true.
pub fn on(flag: &Option<At<bool>>) -> bool {
    flag.as_deref() == Some(&true)
}

/// The physical name as written ("" when the kind's name was left out, which TAP-NAME-001
/// reports before anything is synthesised).
pub fn written(name: &Option<At<Name>>) -> &str {
    name.as_ref().map(|n| n.0.as_str()).unwrap_or_default()
}
