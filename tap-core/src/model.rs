//! The stack model every rule reads and every template is synthesised from.
//!
//! It is deliberately untyped (a property bag per resource, checked against the kind's
//! [`Spec`](crate::kinds::Spec)) so that the macro and the plain Rust API build exactly the
//! same thing and one validator serves both.

use indexmap::IndexMap;

use crate::kinds::Kind;

/// A whole stack: a name and its resources in declaration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub name: String,
    pub resources: Vec<Resource>,
    /// Where relative asset and schema paths are resolved from.
    pub root: Option<std::path::PathBuf>,
}

/// One declared resource: `let binding = resource!(Kind { props })`.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub kind: Kind,
    /// The `let` binding other resources refer to it by; `None` for a bare statement.
    pub binding: Option<String>,
    pub props: IndexMap<String, Value>,
}

/// A property value: only what the macro can evaluate without running code.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    /// An enum-like word (`Destroy`, `Kms`) or, until resolved, a bare identifier.
    Word(String),
    /// `archive` (whole resource) or `archive.name` / `archive.write` (an attribute or access).
    Ref { target: String, attr: Option<String> },
    List(Vec<Value>),
    Map(IndexMap<String, Value>),
    /// `Bin("inventory-processor")`, `Inline("...")`, `Raw([...], [...])`.
    Call { name: String, args: Vec<Value> },
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(s.to_owned())
    }
    pub fn word(w: &str) -> Value {
        Value::Word(w.to_owned())
    }
    /// `target`: the whole resource.
    pub fn reference(target: &str) -> Value {
        Value::Ref { target: target.to_owned(), attr: None }
    }
    /// `target.attr`: an attribute (`archive.name`) or an access level (`archive.write`).
    pub fn attr(target: &str, attr: &str) -> Value {
        Value::Ref { target: target.to_owned(), attr: Some(attr.to_owned()) }
    }
    pub fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
    pub fn call(name: &str, args: Vec<Value>) -> Value {
        Value::Call { name: name.to_owned(), args }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_word(&self) -> Option<&str> {
        match self {
            Value::Word(w) => Some(w),
            _ => None,
        }
    }
    pub fn as_ref_target(&self) -> Option<(&str, Option<&str>)> {
        match self {
            Value::Ref { target, attr } => Some((target, attr.as_deref())),
            _ => None,
        }
    }
    /// What the value is, in the words an error message uses.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Word(_) => "a word",
            Value::Ref { attr: None, .. } => "a resource reference",
            Value::Ref { .. } => "an attribute reference",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Call { .. } => "a call",
        }
    }
}

impl Resource {
    pub fn new(kind: Kind, binding: Option<&str>) -> Self {
        Resource { kind, binding: binding.map(str::to_owned), props: IndexMap::new() }
    }
    /// Builder form for the plain Rust API.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.props.insert(key.to_owned(), value);
        self
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.props.get(key)
    }
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_int)
    }
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }
    pub fn word(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_word)
    }
    /// The binding a property refers to, whether written `x` or `x.attr`.
    pub fn target(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_ref_target).map(|(t, _)| t)
    }
    pub fn list(&self, key: &str) -> &[Value] {
        match self.get(key) {
            Some(Value::List(items)) => items,
            _ => &[],
        }
    }
    /// How messages name this resource: its binding, else its kind.
    pub fn label(&self) -> String {
        match &self.binding {
            Some(b) => format!("{} `{}`", self.kind.spec().noun, b),
            None => match self.props.values().find_map(Value::as_ref_target) {
                Some((target, _)) => format!("{} of `{target}`", self.kind.spec().noun),
                None => self.kind.spec().noun.to_owned(),
            },
        }
    }
}

impl Stack {
    pub fn new(name: &str) -> Self {
        Stack { name: name.to_owned(), resources: Vec::new(), root: None }
    }
    pub fn with_root(mut self, root: impl Into<std::path::PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }
    pub fn with_resource(mut self, resource: Resource) -> Self {
        self.resources.push(resource);
        self
    }
    pub fn push(&mut self, resource: Resource) {
        self.resources.push(resource);
    }
    /// Index of the resource a binding names (the first, if declared twice).
    pub fn find(&self, binding: &str) -> Option<usize> {
        self.resources.iter().position(|r| r.binding.as_deref() == Some(binding))
    }
    /// [`Stack::find`] for every binding at once, for passes that resolve many references.
    pub fn index(&self) -> std::collections::HashMap<&str, usize> {
        let mut map = std::collections::HashMap::new();
        for (i, r) in self.resources.iter().enumerate() {
            if let Some(b) = &r.binding {
                map.entry(b.as_str()).or_insert(i);
            }
        }
        map
    }
    pub fn resolve(&self, binding: &str) -> Option<&Resource> {
        self.find(binding).map(|i| &self.resources[i])
    }
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources.iter().enumerate().filter(move |(_, r)| r.kind == kind)
    }
}

/// One step into a resource's properties.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// The value of a property (or of an entry of a map).
    Key(String),
    /// The name of a property, as written.
    Field(String),
    /// An element of a list.
    Index(usize),
}

/// A node of the model a finding points at: a resource (its kind word) or a value inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub resource: Option<usize>,
    pub path: Vec<Seg>,
}

impl Loc {
    pub fn stack() -> Self {
        Loc { resource: None, path: Vec::new() }
    }
    pub fn resource(i: usize) -> Self {
        Loc { resource: Some(i), path: Vec::new() }
    }
    pub fn prop(i: usize, key: &str) -> Self {
        Loc { resource: Some(i), path: vec![Seg::Key(key.to_owned())] }
    }
    pub fn push(&self, seg: Seg) -> Self {
        let mut l = self.clone();
        l.path.push(seg);
        l
    }
    /// The closest node that exists: a property that was never written points at its resource.
    pub fn parent(&self) -> Option<Loc> {
        if self.path.is_empty() {
            return self.resource.map(|_| Loc::stack());
        }
        let mut l = self.clone();
        l.path.pop();
        Some(l)
    }
}
