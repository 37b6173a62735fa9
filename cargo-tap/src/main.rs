//! `cargo tap`: from an app crate's stack to a deployed one and back.
//!
//! ```text
//! cargo tap package      [-p crate] [--stack S]                      build and zip every function
//! cargo tap deploy       --suffix dev [--lifecycle L] --asset-bucket B [--parameter K=V].. [--allow-skipped T,..] [--yes]
//! cargo tap diff         OLD.json NEW.json | --stack-name N           what changes, what is replaced
//! cargo tap plan-delete  [--stack-name N]                            what a delete removes or keeps
//! cargo tap delete       --stack-name N [--yes]
//! cargo tap explain      TAP-IAM-001                                 a rule's guide entry
//! cargo tap findings     [-p crate] [--stack S]                      every finding, on its line
//! cargo tap graph        [--format mermaid|dot]                      the stack as a diagram
//! ```
//!
//! A crate whose stacks form one app (`#[tap::app]`) is handled whole: `deploy` deploys every
//! stack after the stacks it imports from, `delete --suffix` deletes in the reverse order,
//! and `package`, `diff`, `plan-delete` and `graph` cover every stack (`--stack` picks one).
//! A report about several stacks is a list, in deploy order.
//!
//! Every report has a `--json` form. Exit codes: 0 done, 1 failed (also a deploy the endpoint
//! did not complete, and a delete that left a resource its plan deletes), 2 usage, 3 refused
//! (a risky change or delete without `--yes` and without a terminal to ask on).

mod cloudformation;
mod commands;
mod diff;
mod error;
mod explain;
mod exports;
mod findings;
mod package;
mod plan;
mod project;
mod survivors;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliResult;

/// `cargo tap ..`: cargo runs `cargo-tap tap ..`, so the program is a `cargo` with one
/// subcommand (clap's cargo-subcommand form). Run directly, `cargo-tap deploy ..` works too.
#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    Tap(Tap),
}

#[derive(clap::Args)]
#[command(
    version,
    about = "Package, deploy, diff, plan the deletion of, explain, list the findings of and draw tap stacks"
)]
struct Tap {
    #[command(subcommand)]
    command: Command,
}

/// Each subcommand's arguments are its file's in `commands/`.
#[derive(Subcommand)]
enum Command {
    /// Build every function of the stack for provided.al2023 and zip it, named by content hash.
    Package(commands::package::Args),
    /// Package, upload, create a change set, show it, ask when it is risky, execute, follow.
    Deploy(commands::deploy::Args),
    /// Differences between two templates, or between each stack's template and its deployed stack.
    Diff(commands::diff::Args),
    /// What deleting the stack removes, retains or snapshots (deployed with `--stack-name`).
    PlanDelete(commands::plan_delete::Args),
    /// Delete a deployed stack, after its delete plan; with `--suffix`, every stack of the app,
    /// each before the stacks it imports from.
    Delete(commands::delete::Args),
    /// A rule's entry from the guide: what it prevents, why, the fix, the seed's line.
    Explain(commands::explain::Args),
    /// Every finding of the stack, acknowledged or not, on its line (what the build wrote to
    /// findings.sarif); exits 1 when one is an error.
    Findings(commands::findings::Args),
    /// The stack as a diagram (also written beside the template on every build).
    Graph(commands::graph::Args),
}

fn main() -> ExitCode {
    // Run as `cargo tap ..`, cargo passes "tap" first; run directly, it is not there.
    let mut args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) != Some("tap") {
        args.insert(1, "tap".to_owned());
    }
    let Cargo::Tap(cli) = Cargo::parse_from(args);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(run(cli.command)) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{}", e.render());
            ExitCode::from(e.exit_code)
        }
    }
}

async fn run(command: Command) -> CliResult<String> {
    match command {
        Command::Explain(args) => commands::explain::run(args),
        Command::Findings(args) => commands::findings::run(args),
        Command::Graph(args) => commands::graph::run(args),
        Command::Package(args) => commands::package::run(args),
        Command::Diff(args) => commands::diff::run(args).await,
        Command::PlanDelete(args) => commands::plan_delete::run(args).await,
        Command::Delete(args) => commands::delete::run(args).await,
        Command::Deploy(args) => commands::deploy::run(args).await,
    }
}
