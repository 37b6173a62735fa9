//! Decode: the first stage. Each resource of the property bag becomes its kind's struct
//! (see `props!`): closed vocabularies become enums, references become indices of
//! resources of the right kind, attributes and access levels become the kind's own
//! definitions, and every problem is a finding on the token written. After this stage
//! nothing is looked up by a string key: an unknown word cannot reach a rule or the
//! template. Only validation runs the decoder; rules read its result, [`super::view`].

use std::collections::HashMap;

use super::schema::{AttrDef, AttrExpr, AttrTy, Removal, Spec, Ty};
use super::value::*;
use super::Kind;
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::model::{Loc, Resource, Seg, Value};

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
                let (i, k) = self.declared(target, loc)?;
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
            fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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

impl<K: Targets> FromValue for Ref<K> {
    fn ty() -> Ty {
        Ty::Ref(K::KINDS)
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Word(name) => d.resolve(name, key, loc, K::KINDS).map(|index| Ref::new(index, name.clone())),
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
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        d.attr_ref(v, key, loc, Ty::Attr)
    }
}

impl FromValue for EnvValue {
    fn ty() -> Ty {
        Ty::Value
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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

/// The methods an HTTP API route may name.
pub(crate) const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

/// Why `key` is not an HTTP API route key, if it is not.
fn route_key_problem(key: &str) -> Option<String> {
    if key == "$default" {
        return None;
    }
    let Some((method, path)) = key.split_once(' ') else {
        return Some("a route key is a method and a path: \"POST /orders\"".to_owned());
    };
    if !METHODS.contains(&method) {
        return Some(format!("`{method}` is not a method: {}", METHODS.join(", ")));
    }
    if !path.starts_with('/') || path.contains(' ') || path.contains("//") {
        return Some(format!("`{path}` is not a path: it starts with `/`, without spaces or empty segments"));
    }
    for segment in path.split('/').skip(1) {
        let Some(inner) = segment.strip_prefix('{') else {
            if segment.contains(['{', '}']) {
                return Some(format!("`{segment}`: a path parameter is a whole segment, `{{name}}`"));
            }
            continue;
        };
        let name = inner.strip_suffix('}').unwrap_or_default();
        let name = name.strip_suffix('+').unwrap_or(name);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some(format!("`{segment}` is not a path parameter: `{{name}}` or a final `{{proxy+}}`"));
        }
    }
    None
}

impl FromValue for Routes {
    fn ty() -> Ty {
        Ty::Routes
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut routes = Vec::new();
        let mut ok = true;
        for (route_key, value) in entries {
            let entry = loc.push(Seg::Key(route_key.clone()));
            let mut field = loc.clone();
            field.path.push(Seg::Field(route_key.clone()));
            if let Some(why) = route_key_problem(route_key) {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field.clone(),
                    format!("\"{route_key}\" is not a route: {why}"),
                    "write a route as \"METHOD /path/{parameter}\", e.g. \"POST /webhooks/{source}\"",
                ));
                ok = false;
            } else if routes.iter().any(|r: &Route| r.key == *route_key) {
                d.push(Finding::dsl(
                    Dsl::Duplicate,
                    field,
                    format!("route \"{route_key}\" is written twice"),
                    "keep one",
                ));
                ok = false;
            }
            let (target, open) = match value {
                Value::Word(name) => (Some(name), None),
                Value::Call { name, args } if name == "Open" => match args.as_slice() {
                    [Value::Word(f), Value::Str(why)] => {
                        (Some(f), Some(At { value: why.clone(), loc: entry.push(Seg::Index(1)) }))
                    }
                    _ => {
                        d.push(Finding::dsl(
                            Dsl::WrongType,
                            entry.clone(),
                            "`Open` takes the function and the reason anyone may call the route",
                            "write `Open(function, \"why this route takes no authorization\")`",
                        ));
                        (None, None)
                    }
                },
                other => {
                    d.wrong_type(route_key, &Ty::Ref(&[Kind::Function]), other, &entry);
                    (None, None)
                }
            };
            let at = if open.is_some() { entry.push(Seg::Index(0)) } else { entry.clone() };
            match target.and_then(|name| d.resolve(name, route_key, &at, &[Kind::Function]).map(|i| (i, name))) {
                Some((target, name)) => {
                    routes.push(Route { key: route_key.clone(), target, name: name.clone(), open, loc: entry })
                }
                None => ok = false,
            }
        }
        ok.then_some(Routes(routes))
    }
}

/// `"attribute"` or `N("attribute")` (`S`, `N`, `B`): a key attribute and its type.
fn key_attr(v: &Value) -> Option<KeyAttr> {
    let (ty, name) = match v {
        Value::Str(name) => ("S", name),
        Value::Call { name: ty, args } => match (ty.as_str(), args.as_slice()) {
            ("S", [Value::Str(name)]) => ("S", name),
            ("N", [Value::Str(name)]) => ("N", name),
            ("B", [Value::Str(name)]) => ("B", name),
            _ => return None,
        },
        _ => return None,
    };
    (!name.is_empty()).then(|| KeyAttr { name: name.clone(), ty })
}

impl FromValue for Indexes {
    fn ty() -> Ty {
        Ty::Indexes
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut indexes = Vec::new();
        let mut ok = true;
        for (name, value) in entries {
            let entry = loc.push(Seg::Key(name.clone()));
            let mut field = loc.clone();
            field.path.push(Seg::Field(name.clone()));
            let valid_name =
                (3..=255).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
            if !valid_name {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field.clone(),
                    format!("`{name}` is not an index name DynamoDB accepts"),
                    "use 3 to 255 letters, digits, `_`, `.` and `-`",
                ));
                ok = false;
            }
            let index = match value {
                Value::Call { name: call, args } if call == "Global" => {
                    match args.iter().map(key_attr).collect::<Option<Vec<_>>>().as_deref() {
                        Some([p]) => Some(Index {
                            name: name.clone(),
                            local: false,
                            partition: Some(p.clone()),
                            sort: None,
                            loc: entry.clone(),
                        }),
                        Some([p, s]) => Some(Index {
                            name: name.clone(),
                            local: false,
                            partition: Some(p.clone()),
                            sort: Some(s.clone()),
                            loc: entry.clone(),
                        }),
                        _ => None,
                    }
                }
                Value::Call { name: call, args } if call == "Local" => {
                    match args.iter().map(key_attr).collect::<Option<Vec<_>>>().as_deref() {
                        Some([s]) => Some(Index {
                            name: name.clone(),
                            local: true,
                            partition: None,
                            sort: Some(s.clone()),
                            loc: entry.clone(),
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
            match index {
                Some(index) => indexes.push(index),
                None => {
                    d.push(Finding::dsl(
                        Dsl::WrongType,
                        entry,
                        format!("index `{name}` is not `Global(partition, sort)` or `Local(sort)`"),
                        "write `Global(\"status\")`, `Global(\"status\", N(\"received_at\"))` or `Local(N(\"amount\"))`; a key attribute is a string, or `N(..)`/`B(..)` for a number or binary",
                    ));
                    ok = false;
                }
            }
        }
        ok.then_some(Indexes(indexes))
    }
}

impl FromValue for Grant {
    fn ty() -> Ty {
        Ty::Grant
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Dot { target, member } => level_grant(d, target, member, loc),
            Value::Call { name, args } if name == "Raw" => raw_grant(d, key, args, loc),
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

/// `target.level`: one of the access levels the target's kind declares.
fn level_grant(d: &mut Decoder<'_>, target: &str, member: &str, loc: &Loc) -> Option<Grant> {
    let (i, k) = d.declared(target, loc)?;
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
        Some(level) => Some(Grant::Level { target: i, name: target.to_owned(), level }),
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

/// `Raw([actions], [resources])`: every action one IAM defines, every resource an ARN of the
/// stack (or a literal). Every problem is reported, not only the first.
fn raw_grant(d: &mut Decoder<'_>, key: &str, args: &[Value], loc: &Loc) -> Option<Grant> {
    let (Some(Value::List(actions)), Some(Value::List(resources)), 2) = (args.first(), args.get(1), args.len()) else {
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
        match raw_resource(d, key, r, &at) {
            Some(resource) => on.push(At { value: resource, loc: at }),
            None => ok = false,
        }
    }
    ok.then_some(Grant::Raw { actions: granted, resources: on })
}

/// One resource of a `Raw` grant: a literal, an ARN of the stack, or `Under(arn, "/path")`.
fn raw_resource(d: &mut Decoder<'_>, key: &str, r: &Value, at: &Loc) -> Option<RawResource> {
    match r {
        Value::Str(s) => Some(RawResource::Literal(s.clone())),
        Value::Call { name, args } if name == "Under" => match args.as_slice() {
            [target, Value::Str(path)] if (path.starts_with('/') || path.starts_with(':')) && path.len() > 1 => {
                raw_arn(d, key, target, &at.push(Seg::Index(0))).map(|a| RawResource::Under(a, path.clone()))
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
        other => raw_arn(d, key, other, at).map(RawResource::Attr),
    }
}

/// An ARN of the stack: `binding.arn`, or a raw resource's `binding.SomethingArn`.
fn raw_arn(d: &mut Decoder<'_>, key: &str, v: &Value, at: &Loc) -> Option<AttrRef> {
    match v {
        Value::Dot { target, member }
            if member == "arn" || (d.raw_types.contains_key(target.as_str()) && member.ends_with("Arn")) =>
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
    }
}

fn levels_of(target: &str, spec: &Spec) -> String {
    spec.levels.iter().map(|l| format!("{target}.{}", l.name)).collect::<Vec<_>>().join(", ")
}

impl FromValue for Code {
    fn ty() -> Ty {
        Ty::Code
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let words: Vec<&'static str> = Service::all().map(|s| s.word).collect();
        let word = d.word(v, key, loc, &words)?;
        Service::all().find(|s| s.word == word).map(Service)
    }
}

impl<T: FromValue> FromValue for Vec<At<T>> {
    fn ty() -> Ty {
        Ty::List(Box::new(T::ty()))
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
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
