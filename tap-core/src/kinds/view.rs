//! The checked, typed view of a stack that rules and synthesis read.
//!
//! Validation decodes each resource of the property bag into its kind's struct (see
//! `props!`): closed vocabularies become enums, references become indices of resources of
//! the right kind, attributes and access levels become the kind's own definitions. After
//! that point nothing is looked up by a string key and nothing is mutable: an unknown word
//! cannot reach a rule or the template.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::ops::Deref;
use std::path::PathBuf;

use super::schema::{ArnShape, AttrDef, AttrExpr, AttrTy, LevelDef, Lifecycle, Removal, ServiceDef, Spec, Ty};
use super::{Kind, Res};
use crate::cfn::{get_att, join, pascal, r#ref, Json, Out};
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::model::{Loc, Resource, Seg, Value};
use serde_json::json;

/// A decoded value and where it was written, so a finding about it lands on its tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
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

/// A property type: how a written [`Value`] becomes a typed one.
pub trait FromValue: Sized {
    fn ty() -> Ty;
    /// Decodes the value written for `key` at `loc`, or reports why it cannot.
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self>;
}

/// A kind's struct, decoded from a resource of the bag (`props!` writes this).
pub trait Decode: Sized {
    const PROPS: &'static [super::schema::Prop];
    fn decode(d: &mut Decoder) -> Option<Self>;
    /// The physical name written (`name: opt Name`), for kinds whose name the stack chooses.
    fn physical_name(&self) -> Option<&At<Name>>;
    /// The removal written (`removal: opt Removal`), for kinds that hold data.
    fn removal(&self) -> Option<&At<Removal>>;
    /// Why it is deleted even by a durable deployment (`disposable: opt String`).
    fn disposable(&self) -> Option<&At<String>>;
    /// The deletion protection written (`deletion_protection: opt bool`).
    fn deletion_protection(&self) -> Option<&At<bool>>;
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
    /// `name` resolved to a resource whose kind is one of `kinds`.
    fn resolve(&mut self, name: &str, key: &str, loc: &Loc, kinds: &'static [Kind]) -> Option<usize> {
        match self.binding(name) {
            None => {
                self.undeclared(name, loc);
                None
            }
            Some((_, k)) if !kinds.contains(&k) => {
                let ty = Ty::Ref(kinds);
                self.push(Finding::dsl(
                    Dsl::WrongKind,
                    loc.clone(),
                    format!("`{key}` expects {}, but `{name}` is a {}", ty.describe(), k.spec().noun),
                    format!("refer to a {} here", ty.describe()),
                ));
                None
            }
            // A reference property hands the resource to tap's checks (its subnets, its
            // timeouts): only the kinds an existing resource's spec names may take one.
            Some((_, k))
                if self.existing.contains(name)
                    && !Kind::from_word(&self.res.kind)
                        .is_some_and(|me| k.spec().existing.is_some_and(|e| e.referable_by.contains(&me))) =>
            {
                self.push(Finding::dsl(
                    Dsl::WrongKind,
                    loc.clone(),
                    format!(
                        "`{key}` needs a {} this stack owns, but `{name}` is an existing one outside it",
                        k.spec().noun
                    ),
                    format!(
                        "declare the {} in this stack; an existing one can be read and granted, not wired here",
                        k.spec().noun
                    ),
                ));
                None
            }
            Some((i, _)) => Some(i),
        }
    }
    /// `target.attr`, or a finding.
    fn attr_ref(&mut self, v: &Value, key: &str, loc: &Loc, ty: Ty) -> Option<AttrRef> {
        match v {
            Value::Dot { target, member } => {
                let Some((i, k)) = self.binding(target) else {
                    self.undeclared(target, loc);
                    return None;
                };
                let spec = k.spec();
                if let Some(ty) = self.raw_types.get(target.as_str()) {
                    let schema = super::registry::schema(ty)?;
                    if !schema.read_only.iter().any(|a| a == member) {
                        self.push(Finding::dsl(
                            Dsl::UnknownMember,
                            loc.clone(),
                            format!(
                                "{ty} `{target}` has no attribute `{member}`{}",
                                hint(did_you_mean(member, schema.read_only.iter().map(String::as_str)))
                            ),
                            format!(
                                "read one of: {}",
                                schema.read_only.iter().map(|a| format!("{target}.{a}")).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                        return None;
                    }
                    // Attributes of raw types are known only from the table: interned once.
                    let name: &'static str = Box::leak(member.clone().into_boxed_str());
                    let attr: &'static AttrDef = Box::leak(Box::new(AttrDef {
                        name,
                        ty: AttrTy::Text,
                        expr: AttrExpr::GetAtt(name),
                        level: None,
                        service: None,
                    }));
                    return Some(AttrRef { target: i, name: target.clone(), attr });
                }
                match spec.attr(member) {
                    Some(attr) => Some(AttrRef { target: i, name: target.clone(), attr }),
                    None => {
                        self.push(Finding::dsl(
                            Dsl::UnknownMember,
                            loc.clone(),
                            format!(
                                "{} `{target}` has no attribute `{member}`{}",
                                spec.noun,
                                hint(did_you_mean(member, spec.attrs.iter().map(|a| a.name)))
                            ),
                            format!(
                                "use one of: {}",
                                spec.attrs
                                    .iter()
                                    .map(|a| format!("{target}.{}", a.name))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        None
                    }
                }
            }
            Value::Word(w) => {
                match self.binding(w) {
                    Some((_, k)) => self.push(Finding::dsl(
                        Dsl::WrongType,
                        loc.clone(),
                        format!("`{key}` needs one attribute of `{w}`, not the whole {}", k.spec().noun),
                        format!(
                            "use one of: {}",
                            k.spec().attrs.iter().map(|a| format!("{w}.{}", a.name)).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                    None => self.undeclared(w, loc),
                }
                None
            }
            other => {
                self.wrong_type(key, &ty, other, loc);
                None
            }
        }
    }
}

/// A property type that is one literal of the bag: a string, a name, a path, a boolean.
macro_rules! literal {
    ($ty:ty, $variant:ident($v:ident) => $make:expr, $kind:expr) => {
        impl FromValue for $ty {
            fn ty() -> Ty {
                $kind
            }
            fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
                match v {
                    Value::$variant($v) => Some($make),
                    other => {
                        d.wrong_type(key, &Self::ty(), other, loc);
                        None
                    }
                }
            }
        }
    };
}

literal!(String, Str(s) => s.clone(), Ty::Str);
literal!(Name, Str(s) => Name(s.clone()), Ty::Name);
literal!(RelPath, Str(s) => RelPath(s.clone()), Ty::Path);
literal!(bool, Bool(b) => *b, Ty::Bool);

impl<const MIN: i64, const MAX: i64> FromValue for Int<MIN, MAX> {
    fn ty() -> Ty {
        Ty::Int { min: MIN, max: MAX }
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        match v {
            Value::Int(n) if (MIN..=MAX).contains(n) => Some(Int(*n)),
            Value::Int(n) => {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    loc.clone(),
                    format!("`{key}` is {n}, outside {MIN}..={MAX}"),
                    format!("choose a value from {MIN} to {MAX}"),
                ));
                None
            }
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

/// The kinds a reference may point at: one kind (every kind's struct), or a marker type
/// listing several (an alarm watches a function or a queue).
pub trait Targets {
    const KINDS: &'static [Kind];
}

impl<K: Targets> FromValue for Ref<K> {
    fn ty() -> Ty {
        Ty::Ref(K::KINDS)
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        match v {
            Value::Word(name) => {
                d.resolve(name, key, loc, K::KINDS).map(|index| Ref { index, name: name.clone(), kind: PhantomData })
            }
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

impl FromValue for AttrRef {
    fn ty() -> Ty {
        Ty::Attr
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        d.attr_ref(v, key, loc, Ty::Attr)
    }
}

impl FromValue for EnvValue {
    fn ty() -> Ty {
        Ty::Value
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        match v {
            Value::Str(s) => Some(EnvValue::Literal(s.clone())),
            other => d.attr_ref(other, key, loc, Ty::Value).map(EnvValue::Attr),
        }
    }
}

fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl FromValue for Env {
    fn ty() -> Ty {
        Ty::Env
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut vars = Vec::new();
        let mut ok = true;
        for (name, value) in entries {
            let entry = loc.push(Seg::Key(name.clone()));
            if !is_env_name(name) {
                ok = false;
                let mut field = loc.clone();
                field.path.push(Seg::Field(name.clone()));
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field,
                    format!("environment variable `{name}` is not UPPER_SNAKE_CASE"),
                    format!("name it `{}`", name.to_uppercase()),
                ));
            }
            match EnvValue::decode(value, name, &entry, d) {
                Some(value) => vars.push(EnvVar { name: name.clone(), value, loc: entry }),
                None => ok = false,
            }
        }
        ok.then_some(Env(vars))
    }
}

impl FromValue for Grant {
    fn ty() -> Ty {
        Ty::Grant
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        match v {
            Value::Dot { target, member } => {
                let Some((i, k)) = d.binding(target) else {
                    d.undeclared(target, loc);
                    return None;
                };
                let spec = k.spec();
                if spec.levels.is_empty() {
                    d.push(Finding::dsl(
                        Dsl::WrongKind,
                        loc.clone(),
                        format!("a {} is not reached through IAM: `{target}` cannot be granted", spec.noun),
                        "remove the grant; network access is declared with `Ingress`",
                    ));
                    return None;
                }
                match spec.level(member) {
                    Some(level) => Some(Grant::Level { target: i, name: target.clone(), level }),
                    None => {
                        d.push(Finding::dsl(
                            Dsl::UnknownMember,
                            loc.clone(),
                            format!(
                                "{} `{target}` has no access level `{member}`{}",
                                spec.noun,
                                hint(did_you_mean(member, spec.levels.iter().map(|l| l.name)))
                            ),
                            format!("grant one of: {}", levels_of(target, spec)),
                        ));
                        None
                    }
                }
            }
            Value::Call { name, args } if name == "Raw" => {
                let (Some(Value::List(actions)), Some(Value::List(resources)), 2) =
                    (args.first(), args.get(1), args.len())
                else {
                    d.push(Finding::dsl(
                        Dsl::WrongType,
                        loc.clone(),
                        "`Raw` takes two non-empty lists: IAM actions, then the resources they apply to",
                        "write `Raw([\"service:Action\"], [binding.arn])`, or better a typed grant like `bucket.write`",
                    ));
                    return None;
                };
                let mut ok = !actions.is_empty() && !resources.is_empty();
                if !ok {
                    d.push(Finding::dsl(
                        Dsl::WrongType,
                        loc.clone(),
                        "`Raw` with no actions or no resources grants nothing",
                        "name at least one action and one resource",
                    ));
                }
                let mut granted = Vec::new();
                for (n, a) in actions.iter().enumerate() {
                    let at = loc.push(Seg::Index(0)).push(Seg::Index(n));
                    let Some(text) = a.as_str() else {
                        d.wrong_type(key, &Ty::Str, a, &at);
                        ok = false;
                        continue;
                    };
                    if let Some((why, near)) = super::iam_actions::unknown(text) {
                        d.push(Finding::dsl(
                            Dsl::UnknownAction,
                            at.clone(),
                            format!("{why}{}", hint(near.as_deref())),
                            "name an action IAM defines (see the service's \"Actions, resources, and condition keys\" page), or use a typed grant",
                        ));
                        ok = false;
                    }
                    granted.push(At { value: text.to_owned(), loc: at });
                }
                let mut on = Vec::new();
                for (n, r) in resources.iter().enumerate() {
                    let at = loc.push(Seg::Index(1)).push(Seg::Index(n));
                    let arn = |d: &mut Decoder, v: &Value, at: &Loc| match v {
                        Value::Dot { target, member }
                            if member == "arn"
                                || (d.raw_types.contains_key(target.as_str()) && member.ends_with("Arn")) =>
                        {
                            d.attr_ref(v, key, at, Ty::Attr)
                        }
                        other => {
                            d.push(Finding::dsl(
                                Dsl::WrongType,
                                at.clone(),
                                format!("a `Raw` grant applies to ARNs, not {}", other.describe()),
                                "name a resource of the stack by its ARN: `binding.arn` (`binding.Arn` for a raw resource), or what lies under it: `Under(binding.Arn, \"/*\")`",
                            ));
                            None
                        }
                    };
                    let resource = match r {
                        Value::Str(s) => Some(RawResource::Literal(s.clone())),
                        Value::Call { name, args } if name == "Under" => match args.as_slice() {
                            [target, Value::Str(path)]
                                if (path.starts_with('/') || path.starts_with(':')) && path.len() > 1 =>
                            {
                                arn(d, target, &at.push(Seg::Index(0))).map(|a| RawResource::Under(a, path.clone()))
                            }
                            [_, Value::Str(path)] => {
                                d.push(Finding::dsl(
                                    Dsl::WrongType,
                                    at.push(Seg::Index(1)),
                                    format!("\"{path}\" is not a path under an ARN"),
                                    "start it with `/` or `:`, as in `Under(bus.Arn, \"/*\")`",
                                ));
                                None
                            }
                            _ => {
                                d.push(Finding::dsl(
                                    Dsl::WrongType,
                                    at.clone(),
                                    "`Under` takes an ARN and a path",
                                    "write `Under(binding.Arn, \"/*\")`",
                                ));
                                None
                            }
                        },
                        other => arn(d, other, &at).map(RawResource::Attr),
                    };
                    let Some(resource) = resource else {
                        ok = false;
                        continue;
                    };
                    on.push(At { value: resource, loc: at });
                }
                ok.then_some(Grant::Raw { actions: granted, resources: on })
            }
            Value::Word(w) => {
                match d.binding(w) {
                    Some((_, k)) => {
                        let spec = k.spec();
                        d.push(Finding::dsl(
                            Dsl::WrongType,
                            loc.clone(),
                            format!("a grant names an access level of `{w}`, not the whole {}", spec.noun),
                            if spec.levels.is_empty() {
                                "remove it: this kind is not reached through IAM".to_owned()
                            } else {
                                format!("grant one of: {}", levels_of(w, spec))
                            },
                        ))
                    }
                    None => d.undeclared(w, loc),
                }
                None
            }
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

fn levels_of(target: &str, spec: &Spec) -> String {
    spec.levels.iter().map(|l| format!("{target}.{}", l.name)).collect::<Vec<_>>().join(", ")
}

impl FromValue for Code {
    fn ty() -> Ty {
        Ty::Code
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        let fix = "write `Bin(\"binary-name\")` (a binary of this crate) or `Dir(\"path\")`";
        let (name, text) = d.string_call(v, key, loc, &Self::ty(), &["Bin", "Dir", "Inline"], "a code source", fix)?;
        Some(match name {
            "Bin" => Code::Bin(text),
            "Dir" => Code::Dir(text),
            _ => Code::Inline(text),
        })
    }
}

impl FromValue for Service {
    fn ty() -> Ty {
        Ty::Word(Service::all().map(|s| s.word).collect())
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        let words: Vec<&'static str> = Service::all().map(|s| s.word).collect();
        let word = d.word(v, key, loc, &words)?;
        Service::all().find(|s| s.word == word).map(Service)
    }
}

impl<T: FromValue> FromValue for Vec<At<T>> {
    fn ty() -> Ty {
        Ty::List(Box::new(T::ty()))
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder) -> Option<Self> {
        let Value::List(items) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (n, item) in items.iter().enumerate() {
            let at = loc.push(Seg::Index(n));
            match T::decode(item, key, &at, d) {
                Some(value) => out.push(At { value, loc: at }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// A boolean property that is written and true.
pub fn on(flag: &Option<At<bool>>) -> bool {
    flag.as_deref() == Some(&true)
}

/// What a kind does beyond its data: the hooks validation, analysis and synthesis call.
/// Every method but `synth` has a default, so a kind writes only what it has.
pub trait Hooks {
    /// Constraints between properties (and on what references point at).
    fn validate(&self, _i: usize, _stack: &Checked, _out: &mut Vec<Finding>) {}
    /// The other resources this one uses, and the access each use needs.
    fn uses(&self, _i: usize, _stack: &Checked, _out: &mut Vec<Use>) {}
    /// Where a VPC-only resource sits: the rules check that its users can reach it.
    fn placement(&self) -> Option<Placement<'_>> {
        None
    }
    /// The logical id of an unbound resource, from what it connects; `None` for the kind word.
    fn base_id(&self, _stack: &Checked) -> Option<String> {
        None
    }
    /// The kind references to it are typed as, when that is not its own: an existing
    /// resource stands for the kind it is.
    fn stands_for(&self) -> Option<Kind> {
        None
    }
    /// The custom resource that empties this resource before CloudFormation deletes it (a
    /// bucket's emptier). Every holder of a grant on it depends on that custom resource, so
    /// a delete removes the writers (and their event source mappings) before emptying.
    fn emptied_by(&self, _cx: &SynthCx, _i: usize) -> Option<String> {
        None
    }
    /// The IAM grants it holds (a function's, a role's): TAP-CODE-002 and TAP-IAM-002 read
    /// every holder's.
    fn grants(&self) -> &[At<Grant>] {
        &[]
    }
    /// An attribute the kind computes itself ([`AttrExpr::Own`]; every attribute of a
    /// resource that `stands_for` another kind).
    fn own_attr(&self, _cx: &SynthCx, _attr: &AttrDef, lid: &str) -> Json {
        r#ref(lid)
    }
    /// Writes the resource's CloudFormation resources (and outputs).
    fn synth(&self, cx: &mut SynthCx, i: usize);
}

/// A resource reachable only inside a VPC (a database, a cache).
pub struct Placement<'a> {
    pub vpc: usize,
    pub subnets: &'a At<super::schema::Subnets>,
    pub security_group: usize,
    pub port: i64,
}

/// A kind's struct, known to the registry.
pub trait IsKind: Sized {
    const KIND: Kind;
    fn from_res(res: &Res) -> Option<&Self>;
}

/// One checked resource.
pub struct Node {
    pub kind: Kind,
    pub binding: Option<String>,
    /// How messages name it: "bucket `archive`", "log group of `processor`".
    pub label: String,
    pub res: Res,
    /// Properties written but not decoded (reported already): rules see them as unknown.
    pub malformed: Vec<String>,
}

impl Node {
    pub fn spec(&self) -> &'static Spec {
        self.kind.spec()
    }
    /// The spec references to it are checked against (attributes, access levels, handle,
    /// service): its own, or the kind an existing resource stands for.
    pub fn target_spec(&self) -> &'static Spec {
        self.res.hooks().stands_for().unwrap_or(self.kind).spec()
    }
}

/// Which lifecycles a stack's deployments may have, and which suffixes are durable.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    /// In the order written; never empty (ephemeral when nothing is written).
    pub lifecycles: Vec<Lifecycle>,
    pub durable_suffixes: Vec<String>,
}

/// A checked stack: every reference resolves, every value has its type. Read-only.
pub struct Checked {
    pub name: String,
    /// Directory relative asset and schema paths are resolved against.
    pub root: PathBuf,
    pub deployment: Deployment,
    pub nodes: Vec<Node>,
    index: HashMap<String, usize>,
    /// Logical ids, one per resource, computed once (see [`Checked::logical_ids`]).
    lids: Vec<String>,
}

impl Checked {
    pub(crate) fn new(name: String, root: PathBuf, deployment: Deployment, nodes: Vec<Node>) -> Self {
        let mut index = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if let Some(b) = &n.binding {
                index.entry(b.clone()).or_insert(i);
            }
        }
        let mut checked = Checked { name, root, deployment, nodes, index, lids: Vec::new() };
        checked.lids = checked.logical_ids();
        checked
    }
    /// The logical id of resource `i`.
    pub fn lid(&self, i: usize) -> &str {
        &self.lids[i]
    }
    pub fn supports(&self, lifecycle: Lifecycle) -> bool {
        self.deployment.lifecycles.contains(&lifecycle)
    }
    /// Resource `i` holds data: its kind does, or, raw, its CloudFormation type does.
    pub fn holds_data(&self, i: usize) -> bool {
        match &self.nodes[i].res {
            Res::Raw(raw) => super::deployed::holds_data(raw.schema),
            _ => self.nodes[i].spec().holds_data(),
        }
    }
    /// A durable deployment keeps resource `i`: it holds data and is not `disposable`.
    pub fn kept_when_durable(&self, i: usize) -> bool {
        self.holds_data(i) && self.nodes[i].res.disposable().is_none()
    }
    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }
    /// The resource of kind `K` a reference points at.
    pub fn get<K: IsKind + 'static>(&self, r: &Ref<K>) -> &K {
        K::from_res(&self.nodes[r.index].res).expect("a checked Ref<K> points at a K")
    }
    /// Every resource of kind `K`, with its index.
    pub fn of<K: IsKind + 'static>(&self) -> impl Iterator<Item = (usize, &K)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| K::from_res(&n.res).map(|k| (i, k)))
    }
    pub fn find(&self, binding: &str) -> Option<usize> {
        self.index.get(binding).copied()
    }
    /// The binding of resource `i` ("" for a bare statement, which nothing can refer to).
    pub fn binding(&self, i: usize) -> &str {
        self.nodes[i].binding.as_deref().unwrap_or_default()
    }
    /// One logical id per resource, in order: from the binding, else from what the
    /// resource connects; a repeated id takes a number. No counters that shift when an
    /// unrelated line moves, no randomness.
    fn logical_ids(&self) -> Vec<String> {
        let mut seen = HashMap::<String, usize>::new();
        self.nodes
            .iter()
            .map(|n| {
                let base = match &n.binding {
                    Some(b) => pascal(b),
                    None => n.res.hooks().base_id(self).unwrap_or_else(|| n.spec().word.to_owned()),
                };
                let count = seen.entry(base.clone()).or_insert(0);
                *count += 1;
                if *count == 1 {
                    base
                } else {
                    format!("{base}{count}")
                }
            })
            .collect()
    }
}

/// How a function reaches a resource it uses.
#[derive(Clone, Debug, PartialEq)]
pub enum Via {
    /// An environment variable holds one of the target's attributes.
    Env(String),
    /// The target feeds the function through an event source mapping.
    EventSource,
    /// The target queue receives the event source's failed batches.
    OnFailure,
}

/// One use of a resource by a function, and the access levels that satisfy it.
#[derive(Clone, Debug)]
pub struct Use {
    pub function: usize,
    pub target: usize,
    pub via: Via,
    /// Where the reference is written.
    pub loc: Loc,
    /// The levels that satisfy it; empty where IAM is not involved.
    pub levels: Vec<&'static LevelDef>,
    /// The AWS API the function calls with what it binds (see [`Use::service_called`]).
    pub service: Option<&'static ServiceDef>,
}

impl Use {
    /// The function calls the target's API itself (not Lambda on its behalf).
    pub fn service_called(&self) -> Option<&'static ServiceDef> {
        match self.via {
            Via::Env(_) => self.service,
            _ => None,
        }
    }
    pub fn satisfied_by(&self, level: &LevelDef) -> bool {
        self.levels.iter().any(|l| l.name == level.name)
    }
    pub fn describe(&self, stack: &Checked) -> String {
        let f = stack.node(self.function).binding.as_deref().unwrap_or("function");
        let t = stack.binding(self.target);
        match &self.via {
            Via::Env(var) => format!("function `{f}` uses `{t}` (env {var})"),
            Via::EventSource => {
                format!("function `{f}` is fed by {} `{t}`", stack.node(self.target).target_spec().noun)
            }
            Via::OnFailure => format!("failed batches of function `{f}` go to queue `{t}`"),
        }
    }
}

/// What a kind's synthesis writes into, with lookups of the resources it refers to.
pub struct SynthCx<'a> {
    pub stack: &'a Checked,
    /// The lifecycle this template is for.
    pub lifecycle: Lifecycle,
    pub out: Out,
}

impl<'a> SynthCx<'a> {
    pub fn lid(&self, index: usize) -> &'a str {
        self.stack.lid(index)
    }
    pub fn lid_of<K>(&self, r: &Ref<K>) -> String {
        self.stack.lid(r.index).to_owned()
    }
    /// The CloudFormation expression of `target.attr`.
    pub fn attr_of(&self, target: usize, attr: &AttrDef) -> Json {
        let lid = self.lid(target);
        let hooks = self.stack.node(target).res.hooks();
        if hooks.stands_for().is_some() {
            return hooks.own_attr(self, attr, lid);
        }
        match attr.expr {
            AttrExpr::Ref => r#ref(lid),
            AttrExpr::GetAtt(name) => get_att(lid, name),
            AttrExpr::Own => self.stack.node(target).res.hooks().own_attr(self, attr, lid),
        }
    }
    pub fn attr(&self, a: &AttrRef) -> Json {
        self.attr_of(a.target, a.attr)
    }
    /// One IAM statement for a grant: the access level's actions on the target's ARNs, or
    /// a `Raw` grant's actions on the resources it names.
    pub fn statement(&self, grant: &Grant) -> Json {
        match grant {
            Grant::Level { target, name, level } => json!({
                "Sid": pascal(&format!("{name} {}", level.name)),
                "Effect": "Allow",
                "Action": level.actions,
                "Resource": self.level_arns(*target, level),
            }),
            Grant::Raw { actions, resources } => {
                let resources: Vec<Json> = resources
                    .iter()
                    .map(|r| match &r.value {
                        RawResource::Attr(a) => self.attr(a),
                        RawResource::Under(a, path) => join(self.attr(a), path),
                        RawResource::Literal(s) => json!(s),
                    })
                    .collect();
                json!({ "Effect": "Allow", "Action": actions.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), "Resource": resources })
            }
        }
    }
    /// One statement per grant: a role's inline policy `grants` (see [`role_policies`]).
    pub fn grant_statements(&self, grants: &[At<Grant>]) -> Vec<Json> {
        grants.iter().map(|g| self.statement(g)).collect()
    }
    /// Makes resource `lid`, which holds `grants`, depend on the emptiers of the resources
    /// they name (see [`Hooks::emptied_by`]), so a delete removes it before emptying them.
    pub fn after_emptiers(&mut self, lid: &str, grants: &[At<Grant>]) {
        let mut emptiers: Vec<String> = Vec::new();
        for grant in grants {
            let targets: Vec<usize> = match &grant.value {
                Grant::Level { target, .. } => vec![*target],
                Grant::Raw { resources, .. } => resources.iter().filter_map(|r| r.target().map(|a| a.target)).collect(),
            };
            for t in targets {
                if let Some(e) = self.stack.node(t).res.hooks().emptied_by(self, t) {
                    if !emptiers.contains(&e) {
                        emptiers.push(e);
                    }
                }
            }
        }
        let on: Vec<&str> = emptiers.iter().map(String::as_str).collect();
        if !on.is_empty() {
            self.out.depends_on(lid, &on);
        }
    }
    /// What `Ref` of resource `target` means in its kind: the logical id's `Ref`, or for an
    /// existing resource the attribute its kind's `Ref` stands for (a topic's ARN).
    pub fn ref_of(&self, target: usize) -> Json {
        let node = self.stack.node(target);
        match node.target_spec().attrs.iter().find(|a| a.expr == AttrExpr::Ref) {
            Some(attr) if node.res.hooks().stands_for().is_some() => self.attr_of(target, attr),
            _ => r#ref(self.lid(target)),
        }
    }
    /// The CloudFormation expression of the attribute `name` of resource `target`.
    pub fn attr_named(&self, target: usize, name: &str) -> Json {
        let attr = self.stack.node(target).target_spec().attr(name).expect("an attribute of the target's kind");
        self.attr_of(target, attr)
    }
    /// The ARNs an IAM statement for `level` of resource `target` names.
    pub fn level_arns(&self, target: usize, level: &LevelDef) -> Json {
        let spec = self.stack.node(target).target_spec();
        let def = AttrDef {
            name: "arn",
            ty: AttrTy::Text,
            expr: spec.arn.unwrap_or(AttrExpr::GetAtt("Arn")),
            level: None,
            service: None,
        };
        let arn = self.attr_of(target, &def);
        match level.arns {
            ArnShape::Arn => Json::Array(vec![arn]),
            ArnShape::Under(tail) => Json::Array(vec![join(arn, tail)]),
            ArnShape::ArnAndUnder(tail) => Json::Array(vec![arn.clone(), join(arn, tail)]),
        }
    }
    /// This template keeps resource `i`'s data: the lifecycle is durable and the resource
    /// holds data and is not `disposable`. Kinds derive their lifecycle-dependent settings
    /// (deletion protection, backups, versioning, emptying) from this, unless written.
    pub fn keeps(&self, i: usize) -> bool {
        self.lifecycle == Lifecycle::Durable && self.stack.kept_when_durable(i)
    }
    /// Resource `i`, which holds data: its deletion and replacement policies are the
    /// `removal` written, else what the lifecycle implies (the kind's `keep` when kept,
    /// Delete otherwise).
    pub fn add_data(&mut self, i: usize, lid: &str, ty: &str, props: Json) {
        let node = self.stack.node(i);
        let policy = match node.res.removal() {
            Some(written) => written.policy(),
            None if self.keeps(i) => node.spec().keep.unwrap_or(Removal::Retain.policy()),
            None => Removal::Destroy.policy(),
        };
        self.out.add_with_policy(lid, ty, props, policy);
    }
}

/// The policy statement that refuses every request to `resource` not made over TLS
/// (`action` is the service's actions: `s3:*`, `sqs:*`, `sns:Publish`), shared by the
/// bucket, log bucket, queue and topic policies.
pub fn deny_insecure_transport(action: &str, resource: Json) -> Json {
    json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": { "AWS": "*" },
        "Action": action,
        "Resource": resource,
        "Condition": { "Bool": { "aws:SecureTransport": "false" } },
    })
}

/// A role's `Policies`: one inline policy per `(name, statements)`, in order, leaving out
/// those without statements (`None` when none is left).
pub fn role_policies(policies: Vec<(&str, Vec<Json>)>) -> Option<Json> {
    let out: Vec<Json> = policies
        .into_iter()
        .filter(|(_, statements)| !statements.is_empty())
        .map(|(name, statements)| json!({ "PolicyName": name, "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }))
        .collect();
    (!out.is_empty()).then_some(Json::Array(out))
}

/// The trust policy of a role that AWS service `principal` assumes; with `this_account`,
/// only on behalf of this account's resources (`aws:SourceAccount`, the confused-deputy
/// guard).
pub fn service_trust(principal: &str, this_account: bool) -> Json {
    let mut statement = json!({ "Effect": "Allow", "Principal": { "Service": principal }, "Action": "sts:AssumeRole" });
    if this_account {
        statement["Condition"] = json!({ "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } });
    }
    json!({ "Version": "2012-10-17", "Statement": [statement] })
}

/// The name of a log group the stack owns for something tap adds (a tap-written function,
/// flow logs): `/tap/<stack>/<name>-<suffix>`, unique per stack and environment, and known
/// before the resource that writes to it exists.
pub fn stack_log_group_name(stack: &str, name: &str) -> Json {
    json!({ "Fn::Sub": format!("/tap/{stack}/{name}-${{EnvironmentSuffix}}") })
}

/// The physical name as written ("" when the kind's name was left out, which TAP-NAME-001
/// reports before anything is synthesised).
pub fn written(name: &Option<At<Name>>) -> &str {
    name.as_ref().map(|n| n.0.as_str()).unwrap_or_default()
}

/// `K::from_index(stack, i)`: resource `i` if it is a `K`.
pub trait FromIndex: IsKind {
    fn from_index(stack: &Checked, i: usize) -> Option<&Self> {
        Self::from_res(&stack.node(i).res)
    }
}
impl<K: IsKind> FromIndex for K {}
