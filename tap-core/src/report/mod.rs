//! What a checked stack is reported as, beside its template: every finding as SARIF
//! ([`sarif`]), what `#[stack]` generates for each function ([`generate`]), the delete plan
//! ([`plan`]), `stack.json` for `cargo tap` ([`manifest`]), the diagram ([`graph`]), the
//! checkov checks tap accepts ([`scan`]), and what a build script calls to write them all
//! ([`build`]). Each reads the checked stack (or the template); none reaches back into the
//! checker.

pub mod sarif;
pub mod generate;
pub mod plan;
pub mod manifest;
pub mod graph;
pub mod scan;
pub mod build;
