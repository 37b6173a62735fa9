//! The property bag: a stack exactly as it was written, before anything is checked.
//!
//! This is the lowered syntax. `#[stack]` builds it from tokens and the plain Rust API
//! builds it by hand; both hand it to [`crate::check`], which validates it once and returns
//! the typed, read-only checked view (`kinds::Checked`) that rules and synthesis read.
//! Nothing here knows a kind: a resource's kind is the word that was written, and its
//! properties are kept in the order written, duplicates included, so that validation (not
//! the builder) is where a repeated property is reported.

mod interpolated;

pub use interpolated::{placeholders, Interpolated, Piece};

/// A whole stack: a name and its resources in declaration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub name: String,
    pub resources: Vec<Resource>,
    /// Where relative asset and schema paths are resolved from.
    pub root: Option<std::path::PathBuf>,
    /// The lifecycles its deployments may have, as written (`Ephemeral`, `Durable`);
    /// empty means ephemeral only.
    pub lifecycles: Vec<String>,
    /// The environment suffixes whose deployments are durable (`prod`, `staging`).
    pub durable_suffixes: Vec<String>,
    /// Kept resources that leave the stack and stay in the account (`tap::forget!`).
    pub forgotten: Vec<Forget>,
    /// The stacks of its app it imports from (`data::orders`), by stack name: they are
    /// deployed before it and deleted after it. Set by the link stage (`link.rs`).
    pub depends_on: Vec<String>,
}

/// `tap::forget!("ArchiveBucket", reason = "..")` in a stack: the resource locked under that
/// logical id leaves the stack on purpose; durable deployments retain it in the account.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Forget {
    pub logical_id: String,
    pub reason: String,
}

/// One declared resource: `let binding = resource!(Kind { props })`.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// The kind word as written (`Bucket`); an unknown word is reported by validation.
    pub kind: String,
    /// The `let` binding other resources refer to it by; `None` for a bare statement.
    pub binding: Option<String>,
    /// Properties in the order written; a repeated key stays here to be reported.
    pub props: Vec<(String, Value)>,
    /// The findings it is written to have on purpose, each with its reason (`#[tap::expect(..)]`).
    pub expects: Vec<Expect>,
    /// The logical id it was locked under before its binding was renamed
    /// (`#[tap::moved(from = "Database")]`): it keeps that id.
    pub moved_from: Option<String>,
}

/// `#[tap::expect("TAP-PUBLIC-001", at = "..", reason = "..")]` on a declaration: the
/// resource breaks that rule on purpose. Judged by the acknowledgement stage, after the
/// rules: the rule must allow it, the reason must be real text, and a finding must be there
/// to acknowledge.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    /// The rule's id as written.
    pub rule: String,
    /// The one finding within the rule: the property path a finding's subject starts with
    /// (`PolicyDocument.Statement[0].Principal`); `None`: every finding of
    /// the rule on this resource.
    pub at: Option<String>,
    pub reason: String,
}

/// A property value: only what the macro can evaluate without running code.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    /// An enum-like word (`Destroy`, `Kms`) or a bare identifier (`vpc`), which validation
    /// resolves against the stack's bindings where a property expects a resource.
    Word(String),
    /// `archive.name` or `archive.write`: what the part after the dot means (an attribute or
    /// an access level) is decided by the property it is written in.
    Dot {
        target: String,
        member: String,
    },
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// `Bin("inventory-processor")`, `Inline("...")`, `Raw([...], [...])`.
    Call {
        name: String,
        args: Vec<Value>,
    },
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(s.to_owned())
    }
    pub fn word(w: &str) -> Value {
        Value::Word(w.to_owned())
    }
    /// `target`: the whole resource (written as a bare identifier).
    pub fn reference(target: &str) -> Value {
        Value::Word(target.to_owned())
    }
    /// `target.member`: an attribute (`archive.name`) or an access level (`archive.write`).
    pub fn attr(target: &str, member: &str) -> Value {
        Value::Dot { target: target.to_owned(), member: member.to_owned() }
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
    pub fn as_word(&self) -> Option<&str> {
        match self {
            Value::Word(w) => Some(w),
            _ => None,
        }
    }
    /// The binding a value names, written `x` or `x.member`.
    pub fn names(&self) -> Option<&str> {
        match self {
            Value::Word(w) | Value::Dot { target: w, .. } => Some(w),
            _ => None,
        }
    }
    /// Every binding the value names, at any depth: `x`, `x.member`, and `{x}` in a string
    /// (but `{suffix}`), in the order written.
    pub fn named(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_named(&mut out);
        out
    }
    fn collect_named<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Value::Word(w) | Value::Dot { target: w, .. } => out.push(w),
            Value::Str(s) => out.extend(placeholders(s)),
            Value::List(items) => items.iter().for_each(|x| x.collect_named(out)),
            Value::Map(entries) => entries.iter().for_each(|(_, x)| x.collect_named(out)),
            _ => {}
        }
    }
    /// What the value is, in the words an error message uses.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Word(_) => "a word",
            Value::Dot { .. } => "an attribute reference",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Call { .. } => "a call",
        }
    }
}

impl Resource {
    /// `kind` is the DSL word; `tap::Kind::Bucket` converts into it.
    pub fn new(kind: impl Into<String>, binding: Option<&str>) -> Self {
        Resource {
            kind: kind.into(),
            binding: binding.map(str::to_owned),
            props: Vec::new(),
            expects: Vec::new(),
            moved_from: None,
        }
    }
    /// Builder form of `#[tap::moved(from = "..")]`: keeps the logical id `from`.
    pub fn moved_from(mut self, from: &str) -> Self {
        self.moved_from = Some(from.to_owned());
        self
    }
    /// Builder form of `#[tap::expect(rule, reason = ..)]`: the resource breaks `rule` on purpose.
    pub fn expect(mut self, rule: &str, reason: &str) -> Self {
        self.expects.push(Expect { rule: rule.to_owned(), at: None, reason: reason.to_owned() });
        self
    }
    /// Builder form of `#[tap::expect(rule, at = .., reason = ..)]`: one finding of `rule`.
    pub fn expect_at(mut self, rule: &str, at: &str, reason: &str) -> Self {
        self.expects.push(Expect { rule: rule.to_owned(), at: Some(at.to_owned()), reason: reason.to_owned() });
        self
    }
    /// Builder form for the plain Rust API. Writing a key twice is kept, and reported by
    /// validation as a duplicate, as it is in the DSL.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.props.push((key.to_owned(), value));
        self
    }
    /// The first value written for `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.props.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// Replaces the first value of `key`, or appends it (for edits of a built stack).
    pub fn set(&mut self, key: &str, value: Value) {
        match self.get_mut(key) {
            Some(v) => *v = value,
            None => self.props.push((key.to_owned(), value)),
        }
    }
    /// Removes every value of `key`.
    pub fn remove(&mut self, key: &str) {
        self.props.retain(|(k, _)| k != key);
    }
}

impl Stack {
    pub fn new(name: &str) -> Self {
        Stack {
            name: name.to_owned(),
            resources: Vec::new(),
            root: None,
            lifecycles: Vec::new(),
            durable_suffixes: Vec::new(),
            forgotten: Vec::new(),
            depends_on: Vec::new(),
        }
    }
    /// The stacks it imports from, deployed before it (what the link stage sets).
    pub fn with_depends_on(mut self, stacks: &[&str]) -> Self {
        self.depends_on = stacks.iter().map(|s| (*s).to_owned()).collect();
        self
    }
    /// Builder form of `tap::forget!(logical_id, reason = ..)`.
    pub fn forget(&mut self, logical_id: &str, reason: &str) {
        self.forgotten.push(Forget { logical_id: logical_id.to_owned(), reason: reason.to_owned() });
    }
    /// The lifecycles the stack supports: `Lifecycle::Ephemeral` and/or `Lifecycle::Durable`
    /// (or their words).
    pub fn with_lifecycles<L: Into<String>>(mut self, lifecycles: impl IntoIterator<Item = L>) -> Self {
        self.lifecycles = lifecycles.into_iter().map(Into::into).collect();
        self
    }
    /// The suffixes whose deployments are durable; every other suffix is ephemeral.
    pub fn with_durable_suffixes(mut self, suffixes: &[&str]) -> Self {
        self.durable_suffixes = suffixes.iter().map(|s| (*s).to_owned()).collect();
        self
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
}

/// One step into a resource's properties.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// The value of a property (or of an entry of a map).
    Key(String),
    /// The name of a property, as written.
    Field(String),
    /// An element of a list (or an argument of a call).
    Index(usize),
    /// The `n`th repeat of a property name written more than once (1 for the second).
    Repeat(usize),
    /// The `n`th `#[tap::expect(..)]` of a resource (its parts below it as `Key`s: `rule`, `at`,
    /// `reason`).
    Expect(usize),
    /// A resource's `#[tap::moved(from = ..)]`.
    Moved,
    /// The `n`th `tap::forget!` of the stack.
    Forget(usize),
}

/// A node of the bag a finding points at: a resource (its kind word) or a value inside it.
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
    /// The name of a property (or of a map entry) as written, rather than its value.
    pub fn field(i: usize, key: &str) -> Self {
        Loc { resource: Some(i), path: vec![Seg::Field(key.to_owned())] }
    }
    /// The `#[tap::moved(from = ..)]` of resource `i`.
    pub fn moved(i: usize) -> Self {
        Loc { resource: Some(i), path: vec![Seg::Moved] }
    }
    /// The `n`th `tap::forget!` of the stack.
    pub fn forget(n: usize) -> Self {
        Loc { resource: None, path: vec![Seg::Forget(n)] }
    }
    /// Part `part` (`rule`, `at`, `reason`) of the `n`th `#[tap::expect(..)]` of resource `i`.
    pub fn expect(i: usize, n: usize, part: &str) -> Self {
        Loc { resource: Some(i), path: vec![Seg::Expect(n), Seg::Key(part.to_owned())] }
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

/// A value and where it was written, so a finding about it lands on its tokens (what the
/// decoder makes of every property; raw properties keep their [`Value`] in one).
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> std::ops::Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
