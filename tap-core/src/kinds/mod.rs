//! The resource kinds a stack can declare. A kind's file is the whole kind: its properties
//! (`props!`), its vocabularies (`words!`), its [`Spec`] (attributes, access levels with
//! their IAM actions, naming limits, whether it holds data), the constraints between its
//! properties, what a use of it implies, its logical-id scheme and its CloudFormation
//! synthesis. Adding a kind is that file plus one line in the `kinds!` list below.
//!
//! [`schema`] is the vocabulary a kind is described in and [`view`] the typed, checked
//! stack the rules read; neither knows any particular kind.

#[macro_use]
mod macros;
pub mod schema;
pub mod view;
pub mod iam_actions;
pub mod service_data;
pub mod registry;
pub mod deployed;
pub mod tap_functions;

pub use schema::Spec;
pub use view::{Checked, Node};

use view::{Decode, Decoder, Hooks, IsKind, Targets};

macro_rules! kinds {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every kind `resource!(Kind { .. })` accepts.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind { $($variant),* }

        /// A checked resource: its kind's typed struct.
        pub enum Res { $($variant($module::$variant)),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn spec(self) -> &'static Spec {
                match self { $(Kind::$variant => &$module::SPEC),* }
            }
            /// Properties as `props!` declared them, for validation and documentation.
            pub fn props(self) -> &'static [schema::Prop] {
                match self { $(Kind::$variant => <$module::$variant as Decode>::PROPS),* }
            }
            pub(crate) fn decode(self, d: &mut Decoder) -> Option<Res> {
                match self { $(Kind::$variant => <$module::$variant as Decode>::decode(d).map(Res::$variant)),* }
            }
        }

        impl Res {
            pub fn kind(&self) -> Kind {
                match self { $(Res::$variant(_) => Kind::$variant),* }
            }
            pub fn hooks(&self) -> &dyn Hooks {
                match self { $(Res::$variant(x) => x),* }
            }
            /// The physical name written, for kinds whose name the stack chooses.
            pub fn physical_name(&self) -> Option<&view::At<view::Name>> {
                match self { $(Res::$variant(x) => x.physical_name()),* }
            }
            /// The removal written, for kinds that hold data.
            pub fn removal(&self) -> Option<&view::At<schema::Removal>> {
                match self { $(Res::$variant(x) => x.removal()),* }
            }
            /// The deletion protection written, for kinds that have it.
            pub fn deletion_protection(&self) -> Option<&view::At<bool>> {
                match self { $(Res::$variant(x) => x.deletion_protection()),* }
            }
            /// Why it is deleted even by a durable deployment, if written.
            pub fn disposable(&self) -> Option<&view::At<String>> {
                match self { $(Res::$variant(x) => x.disposable()),* }
            }
        }

        $(
            impl IsKind for $module::$variant {
                const KIND: Kind = Kind::$variant;
                fn from_res(res: &Res) -> Option<&Self> {
                    match res { Res::$variant(x) => Some(x), #[allow(unreachable_patterns)] _ => None }
                }
            }
            impl Targets for $module::$variant {
                const KINDS: &'static [Kind] = &[Kind::$variant];
            }
        )*
    };
}

// The registration list: one line per kind, in the order messages list them.
kinds! {
    Vpc => vpc,
    Endpoint => endpoint,
    SecurityGroup => security_group,
    Ingress => ingress,
    Stream => stream,
    Bucket => bucket,
    Secret => secret,
    Database => database,
    DatabaseUser => database_user,
    Cache => cache,
    Queue => queue,
    Table => table,
    Topic => topic,
    Function => function,
    Role => role,
    LogGroup => log_group,
    EventSource => event_source,
    Alarm => alarm,
    Output => output,
    Existing => existing,
    Raw => raw,
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

/// `Resource::new(Kind::Bucket, ..)`: the plain API names kinds by this enum, the bag by word.
impl From<Kind> for String {
    fn from(k: Kind) -> String {
        k.word().to_owned()
    }
}

/// What every kind file imports.
pub(crate) mod prelude {
    pub use super::schema::{
        attr, guarded_attr, port_attr, ArnShape, AttrDef, AttrExpr, ExistingDef, HandleDef, LevelDef, Naming, Removal,
        ServiceDef, Spec, Subnets,
    };
    pub use super::view::{
        deny_insecure_transport, on, role_policies, service_trust, stack_log_group_name, written, At, AttrRef, Checked,
        Code, Env, EnvValue, FromIndex, Grant, Hooks, Int, Name, Placement, Ref, RelPath, Service, SynthCx, Targets,
        Use, Via,
    };
    pub use super::Kind;
    pub use crate::cfn::{get_att, join, name_tag, pascal, r#ref, sub, Json};
    pub use crate::finding::{Dsl, Finding};
    pub use crate::model::Loc;
    pub use serde_json::json;
}
