//! # tap: infrastructure as code for AWS, where the compiler is the reviewer
//!
//! Declare a stack with [`stack`] and [`resource!`]; the macros check it against tap's
//! rule set while it compiles, and a stack that repeats a documented mistake (a name
//! without the environment suffix, a retained bucket, a missing grant, a function outside
//! its database's VPC, ...) does not build. The checked stack synthesises to a
//! CloudFormation template with [`Stack::synth`].
//!
//! ```ignore
//! #[tap::stack(name = "Archive")]
//! pub fn archive() {
//!     let archive = resource!(Bucket { name: "archive-{suffix}", removal: Destroy, /* .. */ });
//! }
//! ```
//!
//! The rules, with the mistake each prevents and its fix, are listed in [`rules::ALL`].

pub use tap_core::{acknowledge, check_all, link, lock, Acknowledged, LinkError, LockError, Outcome, Synthesis};
pub use tap_core::{
    analysis, aws_data, build, cfn, check, finding, graph, kinds, manifest, model, plan, rules, scan, sql, synth,
    synth_all, synth_checked, validate, write_if_changed,
};
pub use tap_core::{
    AckError, Checked, Dsl, Finding, Findings, Kind, Lifecycle, Loc, Resource, Seg, Stack, Template, Value,
};
#[doc(hidden)]
pub use tap_macros::__with_components;
pub use tap_macros::{app, component, expect, forget, moved, resource, stack};
#[cfg(feature = "runtime")]
pub use tap_runtime::runtime;
pub use tap_runtime::{bindings, contract};

#[cfg(feature = "aws-core")]
pub use tap_runtime::aws;
#[cfg(feature = "database")]
pub use tap_runtime::database;

/// Expands the generated `Handles` of a function when any `aws-*` feature is on, and to
/// nothing otherwise (generated code only).
#[cfg(feature = "aws-core")]
#[doc(hidden)]
#[macro_export]
macro_rules! __aws_handles {
    ($($t:tt)*) => { $($t)* };
}

#[cfg(not(feature = "aws-core"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __aws_handles {
    ($($t:tt)*) => {};
}

/// One per handle type, from the services table (`tap_runtime::__for_each_service!`):
/// nothing when its service's feature is on, else a compile error that names the feature
/// (generated code only).
macro_rules! requirement {
    ($($Handle:ident $module:ident $feature:literal $noun:literal $name:ident;)*) => {$(
        #[cfg(feature = $feature)]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! $name {
            () => {};
        }
        #[cfg(not(feature = $feature))]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! $name {
            () => {
                compile_error!(concat!("a function of this stack holds a grant on a ", $noun, ", whose handle needs tap's `", $feature, "` feature: add it to the `tap` dependency's features (or `aws` for every service)"));
            };
        }
    )*};
}

tap_runtime::__for_each_service!(requirement);

/// Everything a stack file needs: `use tap::prelude::*;`.
pub mod prelude {
    pub use tap_macros::{app, component, resource, stack};
}
