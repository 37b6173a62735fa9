//! The resource kinds a stack can declare. Each kind lives in its own file with its
//! schema ([`Spec`]: properties, attributes, access levels, naming limits) and its
//! CloudFormation synthesis, so one guess finds everything about a kind.

use crate::synth::{Cx, Json};
use crate::model::Resource;

pub mod alarm;
pub mod bucket;
pub mod cache;
pub mod database;
pub mod endpoint;
pub mod event_source;
pub mod function;
pub mod ingress;
pub mod log_group;
pub mod output;
pub mod queue;
pub mod secret;
pub mod security_group;
pub mod stream;
pub mod vpc;

macro_rules! kinds {
    ($($variant:ident => $module:ident),* $(,)?) => {
        /// Every kind `resource!(Kind { .. })` accepts.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn spec(self) -> &'static Spec {
                match self { $(Kind::$variant => &$module::SPEC),* }
            }

            /// Writes this resource's CloudFormation resources (and outputs).
            pub(crate) fn synth(self, cx: &mut Cx, index: usize, resource: &Resource) {
                match self { $(Kind::$variant => $module::synth(cx, index, resource)),* }
            }

            /// CloudFormation expression for `binding.attr`.
            pub(crate) fn attr(self, cx: &Cx, lid: &str, resource: &Resource, attr: &str) -> Json {
                match self { $(Kind::$variant => $module::attr(cx, lid, resource, attr)),* }
            }
        }
    };
}

kinds! {
    Vpc => vpc,
    Endpoint => endpoint,
    SecurityGroup => security_group,
    Ingress => ingress,
    Stream => stream,
    Bucket => bucket,
    Secret => secret,
    Database => database,
    Cache => cache,
    Queue => queue,
    Function => function,
    LogGroup => log_group,
    EventSource => event_source,
    Alarm => alarm,
    Output => output,
}

impl Kind {
    /// The word written in `resource!(Word { .. })`.
    pub fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.spec().word == word)
    }
    pub fn word(self) -> &'static str {
        self.spec().word
    }
}

/// The schema of a kind.
#[derive(Debug)]
pub struct Spec {
    /// The DSL word: `Bucket`.
    pub word: &'static str,
    /// How messages name it: `bucket`.
    pub noun: &'static str,
    pub props: &'static [Prop],
    /// Attributes a reference may read: `archive.name`.
    pub attrs: &'static [&'static str],
    /// Access levels a grant may ask for: `archive.write`, with the IAM actions each allows.
    pub access: &'static [Access],
    /// Physical-name limits, for kinds whose name is chosen by the stack.
    pub naming: Option<Naming>,
    /// The AWS API a function calls to use this resource (for the VPC route rule).
    pub service: Option<Service>,
    /// Reachable only inside a VPC, on this default port.
    pub vpc_port: Option<i64>,
    /// Holds data: its removal policy matters.
    pub stateful: bool,
}

impl Spec {
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn access(&self, level: &str) -> Option<&'static Access> {
        self.access.iter().find(|a| a.level == level)
    }
}

#[derive(Debug)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    /// Structurally required (the kind means nothing without it). Properties a documented
    /// mistake is about are not required here: their rule reports them, with its id.
    pub required: bool,
}

pub const fn req(name: &'static str, ty: Ty) -> Prop {
    Prop { name, ty, required: true }
}
pub const fn opt(name: &'static str, ty: Ty) -> Prop {
    Prop { name, ty, required: false }
}

/// The type of a property value.
#[derive(Debug)]
pub enum Ty {
    Str,
    /// A physical name: a string that may hold `{suffix}`.
    Name,
    /// A file path relative to the file that declares the stack.
    Path,
    Int { min: i64, max: i64 },
    Bool,
    /// One of these words.
    Word(&'static [&'static str]),
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
    List(&'static Ty),
    /// A map of `UPPER_SNAKE` keys to [`Ty::Value`]s.
    Env,
}

#[derive(Debug)]
pub struct Access {
    pub level: &'static str,
    pub actions: &'static [&'static str],
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    S3,
    SecretsManager,
    Sqs,
    Kinesis,
}

impl Service {
    pub const WORDS: &'static [&'static str] = &["S3", "SecretsManager", "Sqs", "Kinesis"];

    pub fn word(self) -> &'static str {
        match self {
            Service::S3 => "S3",
            Service::SecretsManager => "SecretsManager",
            Service::Sqs => "Sqs",
            Service::Kinesis => "Kinesis",
        }
    }
    pub fn from_word(w: &str) -> Option<Service> {
        [Service::S3, Service::SecretsManager, Service::Sqs, Service::Kinesis].into_iter().find(|s| s.word() == w)
    }
    /// The endpoint service name suffix: `com.amazonaws.<region>.<this>`.
    pub fn endpoint_name(self) -> &'static str {
        match self {
            Service::S3 => "s3",
            Service::SecretsManager => "secretsmanager",
            Service::Sqs => "sqs",
            Service::Kinesis => "kinesis-streams",
        }
    }
    /// S3 is reached through a gateway endpoint (route table); the rest through interface ENIs.
    pub fn is_gateway(self) -> bool {
        self == Service::S3
    }
}

pub const REMOVAL: Ty = Ty::Word(&["Destroy", "Retain", "Snapshot"]);
pub const SUBNETS: Ty = Ty::Word(&["Private", "Public"]);
