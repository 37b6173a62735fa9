//! What a kind declares about itself: the shape of its properties, its attributes, its
//! access levels with their IAM actions, its naming limits and what kind of thing it is.
//! Plain data: a kind's file fills in one [`Spec`]; nothing here reads a stack.

use super::Kind;

/// Everything about a kind that is data rather than code.
#[derive(Debug)]
pub struct Spec {
    /// The DSL word: `Bucket`.
    pub word: &'static str,
    /// How messages name it: `bucket`.
    pub noun: &'static str,
    /// One line for the kind reference in CONTRIBUTING and messages.
    pub about: &'static str,
    pub props: &'static [Prop],
    /// Attributes a reference may read: `archive.name`.
    pub attrs: &'static [AttrDef],
    /// Access levels a grant may ask for: `archive.write`, with the IAM actions of each.
    pub levels: &'static [LevelDef],
    /// The resource's ARN, which IAM statements of its levels name.
    pub arn: Option<AttrExpr>,
    /// Physical-name limits, for kinds whose name the stack chooses.
    pub naming: Option<Naming>,
    /// The AWS API a function calls to use it (for the VPC route rule).
    pub service: Option<&'static ServiceDef>,
    /// Holds data, and how a durable deployment keeps it when the stack is deleted or the
    /// resource replaced (`Retain`, or `Snapshot` where the service takes one). `None` for
    /// kinds that hold nothing worth keeping.
    pub keep: Option<crate::cfn::DeletionPolicy>,
    /// Whether its users need to find it after deployment, so the stack must output it
    /// (TAP-OUT-001).
    pub exported: Exported,
    /// The typed handle code uses it through (feature `aws`): the type in `tap::aws` and
    /// the attribute that identifies the resource to the SDK. A function that binds that
    /// attribute and holds a grant gets the handle in its generated `Handles`.
    pub handle: Option<HandleDef>,
    /// The CloudFormation type the kind stands for (`AWS::S3::Bucket`): a raw resource of
    /// that type is refused in favour of the kind.
    pub cfn_type: Option<&'static str>,
    /// How a resource of this kind that lives outside the stack is used from it
    /// (`Existing { kind, from }`): `None` for kinds only a stack can own.
    pub existing: Option<&'static ExistingDef>,
}

/// See [`Spec::existing`]: a resource someone else owns, named to the stack by a parameter
/// or an import of its identifier, never by a literal.
#[derive(Debug)]
pub struct ExistingDef {
    /// The attribute the identifier is: a topic's `arn`, a bucket's `name`.
    pub id: &'static str,
    /// The CloudFormation type of its `Parameter` (`String`, `AWS::EC2::VPC::Id`, which
    /// CloudFormation checks against the account).
    pub param_type: &'static str,
    /// What a parameter's value must look like (its `AllowedPattern`).
    pub pattern: Option<&'static str>,
    /// Every other attribute, derived from the identifier: `{id}` is the identifier,
    /// `{arn:5}` its sixth `:`-separated field, `{arn:5/1}` the second `/`-separated part
    /// of that, `${AWS::Region}` a pseudo parameter, `{subnets}` the `subnets` it is given,
    /// comma-separated.
    pub derive: &'static [(&'static str, &'static str)],
    /// Needs `subnets` too (a VPC functions are placed in).
    pub subnets: bool,
    /// The kinds whose reference properties may name it (`vpc:` of a function). Other
    /// references need a resource the stack owns: tap checks what it cannot see there.
    pub referable_by: &'static [Kind],
}

/// See [`Spec::handle`].
#[derive(Debug)]
pub struct HandleDef {
    /// `Bucket`: `tap::aws::Bucket<A>`.
    pub ty: &'static str,
    /// `name`: the attribute whose value the SDK calls take.
    pub attr: &'static str,
}

impl Spec {
    /// Defaults for the optional parts, so a kind's file lists only what it has.
    pub const fn new(word: &'static str, noun: &'static str, about: &'static str, props: &'static [Prop]) -> Spec {
        Spec {
            word,
            noun,
            about,
            props,
            attrs: &[],
            levels: &[],
            arn: None,
            naming: None,
            service: None,
            keep: None,
            exported: Exported::Never,
            handle: None,
            cfn_type: None,
            existing: None,
        }
    }
    pub fn holds_data(&self) -> bool {
        self.keep.is_some()
    }

    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn attr(&self, name: &str) -> Option<&'static AttrDef> {
        self.attrs.iter().find(|a| a.name == name)
    }
    pub fn level(&self, name: &str) -> Option<&'static LevelDef> {
        self.levels.iter().find(|l| l.name == name)
    }
}

/// One property, as `props!` declares it.
#[derive(Debug)]
pub struct Prop {
    pub name: &'static str,
    /// Structurally required (the kind means nothing without it). Properties a documented
    /// mistake is about are optional: their rule reports them, with its id.
    pub required: bool,
    pub ty: fn() -> Ty,
    /// The field's doc comment (its default, when it has one), for the kind reference.
    pub doc: &'static str,
}

/// The type of a property value, for messages and documentation.
#[derive(Debug)]
pub enum Ty {
    Str,
    /// A physical name: a string that may hold `{suffix}`.
    Name,
    /// A file path relative to the file that declares the stack.
    Path,
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of these words.
    Word(Vec<&'static str>),
    /// A whole resource of one of these kinds: `vpc`.
    Ref(&'static [Kind]),
    /// `binding.attr` of any kind, or a string literal: an environment value.
    Value,
    /// `binding.attr` only (an output's value).
    Attr,
    /// `binding.level` or `Raw([actions], [resources])`.
    Grant,
    /// `Bin("name")`, `Dir("path")` or `Inline("source")`.
    Code,
    List(Box<Ty>),
    /// A map of `UPPER_SNAKE` keys to [`Ty::Value`]s.
    Env,
    /// A value shape of one kind's own (an API's routes, a table's indexes, where an existing
    /// resource comes from), decoded in that kind's file by its `FromValue`: the decoder's
    /// one open extension point. The text is how a fix line writes it.
    Shape(&'static str),
}

impl Ty {
    /// The type in the words a `fix:` line uses.
    pub fn describe(&self) -> String {
        match self {
            Ty::Str | Ty::Path => "string".into(),
            Ty::Name => "name with {suffix}".into(),
            Ty::Int { .. } => "integer".into(),
            Ty::Bool => "true|false".into(),
            Ty::Word(ws) => ws.join("|"),
            Ty::Ref(kinds) => kinds.iter().map(|k| k.spec().noun).collect::<Vec<_>>().join(" or "),
            Ty::Value | Ty::Attr => "resource.attribute".into(),
            Ty::Grant => "resource.access".into(),
            Ty::Code => "Bin(\"name\") or Dir(\"path\")".into(),
            Ty::List(inner) => format!("[{}, ..]", inner.describe()),
            Ty::Env => "{ NAME: resource.attribute, .. }".into(),
            Ty::Shape(written) => (*written).into(),
        }
    }
}

/// Whether a kind's resources are entry points of the stack, which its users look up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exported {
    /// Reached only by the stack itself (a function, a role, a secret its functions read).
    Never,
    /// An endpoint or a store others reach or read: an API, a stream, a bucket, a table, a
    /// database, a cache, a topic.
    Always,
    /// An entry point when nothing in the stack writes to it (a work queue others fill);
    /// not when the stack does (a dead-letter queue, a failure destination, a queue the
    /// stack's own functions send to).
    WhenFilledFromOutside,
}

/// An attribute other resources may read: `database.endpoint`.
#[derive(Debug)]
pub struct AttrDef {
    pub name: &'static str,
    pub ty: AttrTy,
    pub expr: AttrExpr,
    /// The one access level a function that binds this attribute needs, when it is not
    /// any level that `satisfies_env` (a database's `master_secret` needs `admin`, its
    /// `endpoint` no grant at all).
    pub level: Option<&'static str>,
    /// The AWS API a function calls with its value, when not its kind's (`service`): the
    /// database's `master_secret` is read through Secrets Manager.
    pub service: Option<&'static ServiceDef>,
}

/// What an attribute's value is at run time (the type of its `Env` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrTy {
    Text,
    Port,
}

/// How CloudFormation expresses an attribute of a resource with logical id `lid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrExpr {
    /// `{ "Ref": lid }`.
    Ref,
    /// `{ "Fn::GetAtt": [lid, name] }`.
    GetAtt(&'static str),
    /// Computed by the kind from its own properties (see `Hooks::own_attr`).
    Own,
}

pub const fn attr(name: &'static str, expr: AttrExpr) -> AttrDef {
    AttrDef { name, ty: AttrTy::Text, expr, level: None, service: None }
}
pub const fn port_attr(name: &'static str, expr: AttrExpr) -> AttrDef {
    AttrDef { name, ty: AttrTy::Port, expr, level: None, service: None }
}
/// An attribute whose binders need access level `level` and call `service` with it (see
/// [`AttrDef::level`], [`AttrDef::service`]).
pub const fn guarded_attr(
    name: &'static str,
    expr: AttrExpr,
    level: &'static str,
    service: &'static ServiceDef,
) -> AttrDef {
    AttrDef { name, ty: AttrTy::Text, expr, level: Some(level), service: Some(service) }
}

/// An access level: `bucket.write` is `s3:PutObject` on the bucket's objects.
#[derive(Debug)]
pub struct LevelDef {
    pub name: &'static str,
    pub actions: &'static [&'static str],
    /// Which ARNs of the resource the statement names.
    pub arns: ArnShape,
    /// A function that binds one of the resource's attributes in its `env` is satisfied by
    /// this level (a bucket's name may be read or written; a secret's ARN only read).
    pub satisfies_env: bool,
}

/// The resources of an IAM statement, relative to the target's ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArnShape {
    /// The ARN itself.
    Arn,
    /// Only what lies under it: `arn` + tail (a bucket's objects: `/*`).
    Under(&'static str),
    /// The ARN and what lies under it.
    ArnAndUnder(&'static str),
}

/// The limits of a physical name.
#[derive(Debug)]
pub struct Naming {
    pub min: usize,
    pub max: usize,
    /// Characters allowed besides ASCII letters and digits.
    pub extra: &'static str,
    pub lowercase: bool,
    /// Must start with a letter.
    pub letter_first: bool,
}

/// An AWS API reached over the network from a function, and how a VPC reaches it.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceDef {
    /// The word in `Endpoint { service: .. }` and `egress_via_nat: [..]`.
    pub word: &'static str,
    /// The endpoint service name: `com.amazonaws.<region>.<this>`.
    pub endpoint: &'static str,
    /// Reached through a gateway endpoint (route tables) rather than interface ENIs.
    pub gateway: bool,
}

words! {
    /// What deleting the stack (or replacing the resource) does to its data.
    pub enum Removal { Destroy, Retain, Snapshot }
}

impl Removal {
    pub fn policy(self) -> crate::cfn::DeletionPolicy {
        match self {
            Removal::Destroy => crate::cfn::DeletionPolicy::Delete,
            Removal::Retain => crate::cfn::DeletionPolicy::Retain,
            Removal::Snapshot => crate::cfn::DeletionPolicy::Snapshot,
        }
    }
}

words! {
    /// What a deployment does with data when its stack is deleted. `Ephemeral` (per-PR and
    /// test environments): everything is deleted with the stack. `Durable` (production):
    /// data survives a delete and a replacement. A stack says which it supports; each
    /// deployment is one of them, chosen by its environment suffix.
    pub enum Lifecycle { Ephemeral, Durable }
}

// In every file tap writes (`stack.json`, the delete plan, reports), a lifecycle is its
// directory's word: `ephemeral`, `durable`.
wire_words!(Lifecycle, dir, from_dir);

impl Lifecycle {
    /// The directory its template is written to: `ephemeral`, `durable`.
    pub fn dir(self) -> &'static str {
        match self {
            Lifecycle::Ephemeral => "ephemeral",
            Lifecycle::Durable => "durable",
        }
    }
}

impl From<Lifecycle> for String {
    fn from(l: Lifecycle) -> String {
        l.word().to_owned()
    }
}

words! {
    /// The subnet tier of a VPC a resource is placed in.
    pub enum Subnets { Private, Public }
}
