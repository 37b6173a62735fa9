//! One file per subcommand (cargo's `src/bin/cargo/commands/`): each declares its arguments
//! and runs, returning what it prints. What they share: which stacks they act on
//! ([`Target`]), and how a report is printed.

pub mod delete;
pub mod deploy;
pub mod diff;
pub mod explain;
pub mod findings;
pub mod graph;
pub mod package;
pub mod plan_delete;

use serde::Serialize;

use crate::cloudformation;
use crate::error::{CliError, Usage};
use crate::project;

/// The stacks a command that reads deployments acts on: a deployed stack by name, or every
/// stack of the app by its suffix (each `<Stack>-<suffix>`), chosen from the crate's stacks.
#[derive(clap::Args)]
pub struct Target {
    /// The deployed CloudFormation stack.
    #[arg(long)]
    pub stack_name: Option<String>,
    /// Every stack of the app, each deployed as `<Stack>-<suffix>`.
    #[arg(long, conflicts_with = "stack_name")]
    pub suffix: Option<String>,
    #[command(flatten)]
    pub select: project::Select,
    #[command(flatten)]
    pub aws: cloudformation::Aws,
    /// The report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// A report as `--json` prints it.
pub fn pretty(v: &impl Serialize) -> String {
    serde_json::to_string_pretty(v).expect("a report always serialises") + "\n"
}

/// One report as it is; several (the stacks of an app) as a list, in deploy order.
pub fn one_or_list<T: Serialize>(items: &[T]) -> String {
    match items {
        [one] => pretty(one),
        _ => pretty(&items),
    }
}

pub fn usage(message: impl Into<String>) -> CliError {
    anyhow::Error::new(Usage(message.into())).into()
}
