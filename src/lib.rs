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

#[cfg(feature = "runtime")]
pub use tap_core::runtime;
pub use tap_core::{
    analysis, build, cfn, check, contract, finding, graph, kinds, manifest, model, plan, rules, scan, sql, synth,
    synth_all, synth_checked, validate, write_if_changed,
};
pub use tap_core::{
    bindings, Checked, Dsl, Finding, Findings, Kind, Lifecycle, Loc, Resource, Seg, Stack, Template, Value,
};
pub use tap_macros::{resource, stack};

#[cfg(feature = "aws")]
pub use tap_core::aws;
#[cfg(feature = "database")]
pub use tap_core::database;

/// Expands the generated `Handles` of a function when the `aws` feature is on, and to
/// nothing otherwise (generated code only).
#[cfg(feature = "aws")]
#[doc(hidden)]
#[macro_export]
macro_rules! __aws_handles {
    ($($t:tt)*) => { $($t)* };
}

#[cfg(not(feature = "aws"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __aws_handles {
    ($($t:tt)*) => {};
}

/// Everything a stack file needs: `use tap::prelude::*;`.
pub mod prelude {
    pub use tap_macros::{resource, stack};
}
