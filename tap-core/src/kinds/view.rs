//! The checked view: the stack after decoding, what every rule and analysis reads. It is
//! built once by validation and is not mutable after that point; logical ids are computed
//! with it, so every reader names a resource the same way.

use std::collections::HashMap;
use std::path::PathBuf;

use super::schema::{LevelDef, Lifecycle, ServiceDef, Spec};
use super::value::{At, Ref};
use super::{Kind, Res};
use crate::cfn::pascal;
use crate::model::Loc;

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
    /// The logical id it keeps from before its binding was renamed (`#[tap::moved]`).
    pub moved_from: Option<String>,
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
    /// Kept resources that left the stack on purpose (`tap::forget!`).
    pub forgotten: Vec<crate::model::Forget>,
    /// The stacks of its app it imports from, deployed before it.
    pub depends_on: Vec<String>,
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
        let mut checked = Checked {
            name,
            root,
            deployment,
            nodes,
            forgotten: Vec::new(),
            depends_on: Vec::new(),
            index,
            lids: Vec::new(),
        };
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
            Res::Raw(raw) => crate::aws_data::deployed::holds_data(raw.schema),
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
                let base = match (&n.moved_from, &n.binding) {
                    (Some(locked), _) => locked.clone(),
                    (None, Some(b)) => pascal(b),
                    (None, None) => n.res.hooks().base_id(self).unwrap_or_else(|| n.spec().word.to_owned()),
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
    /// The target queue receives the function's failed asynchronous invocations.
    AsyncFailure,
}

/// A function invoked asynchronously: Lambda queues the event and answers at once, so a
/// failure is retried and then dropped unless the function says where it goes.
#[derive(Clone, Debug)]
pub struct AsyncInvoke {
    pub function: usize,
    /// The resource that invokes it (a schedule, or raw CloudFormation).
    pub by: usize,
    /// Where the invoker names the function.
    pub loc: Loc,
}

/// One statement a resource makes of its encryption (TAP-ENC-001 reads each kind's
/// [`super::Hooks::encryption`]): where it is written (or the resource, when left out),
/// whether it encrypts, what the message says when it does not, and the fix.
#[derive(Clone, Debug)]
pub struct Encrypted {
    pub loc: Loc,
    pub ok: bool,
    pub what: &'static str,
    pub fix: String,
}

impl Encrypted {
    /// The statement of an optional property `field` of resource `i`.
    pub fn of<T>(field: &Option<At<T>>, i: usize, ok: bool, what: &'static str, fix: &'static str) -> Encrypted {
        Encrypted { loc: super::value::at_or(field, i), ok, what, fix: fix.to_owned() }
    }
}

/// The version a resource runs, in its service's own words (TAP-VER-001 judges it against
/// the service data).
#[derive(Clone, Copy, Debug)]
pub enum Version<'a> {
    /// An RDS engine (`postgres`) and version, of an instance.
    Rds { engine: &'static str, version: &'a At<String> },
    /// A Lambda runtime by its CloudFormation name (`python3.9`), where it is written, and
    /// how the DSL writes a runtime of that name (for the successor in the fix).
    Runtime { name: &'static str, loc: &'a Loc, word_of: fn(&str) -> Option<&'static str> },
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
            Via::AsyncFailure => format!("failed asynchronous invocations of function `{f}` go to queue `{t}`"),
        }
    }
}

/// `K::from_index(stack, i)`: resource `i` if it is a `K`.
pub trait FromIndex: IsKind {
    fn from_index(stack: &Checked, i: usize) -> Option<&Self> {
        Self::from_res(&stack.node(i).res)
    }
}
impl<K: IsKind> FromIndex for K {}
