//! `cargo tap`: from an app crate's stack to a deployed one and back.
//!
//! ```text
//! cargo tap package      [-p crate] [--stack S]                      build and zip every function
//! cargo tap deploy       --suffix dev [--lifecycle L] --asset-bucket B [--parameter K=V].. [--yes]
//! cargo tap diff         OLD.json NEW.json | --stack-name N           what changes, what is replaced
//! cargo tap plan-delete  [--stack-name N]                            what a delete removes or keeps
//! cargo tap delete       --stack-name N [--yes]
//! cargo tap explain      TAP-IAM-001                                 a rule's guide entry
//! cargo tap findings     [-p crate] [--stack S]                      every finding, on its line
//! cargo tap graph        [--format mermaid|dot]                      the stack as a diagram
//! ```
//!
//! Every report has a `--json` form. Exit codes: 0 done, 1 failed, 2 usage, 3 refused (a
//! risky change or delete without `--yes` and without a terminal to ask on).

mod deploy;
mod diff;
mod error;
mod explain;
mod findings;
mod package;
mod plan;
mod project;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::error::{CliError, CliResult, Usage};

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

/// The diagram's format.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Subcommand)]
enum Command {
    /// Build every function of the stack for provided.al2023 and zip it, named by content hash.
    Package {
        #[command(flatten)]
        select: project::Select,
        #[command(flatten)]
        options: package::Options,
        #[arg(long)]
        json: bool,
    },
    /// Package, upload, create a change set, show it, ask when it is risky, execute, follow.
    Deploy {
        #[command(flatten)]
        select: project::Select,
        #[command(flatten)]
        options: package::Options,
        #[command(flatten)]
        aws: deploy::Aws,
        /// The environment suffix (the template's EnvironmentSuffix).
        #[arg(long)]
        suffix: String,
        /// The CloudFormation stack's name; default `<Stack>-<suffix>`.
        #[arg(long)]
        stack_name: Option<String>,
        /// The bucket the functions' code is uploaded to (created if missing).
        #[arg(long)]
        asset_bucket: Option<String>,
        /// A template parameter, `Name=value` (an existing resource's id, for instance).
        #[arg(long = "parameter", value_name = "NAME=VALUE")]
        parameters: Vec<String>,
        /// Execute without asking, even when data is replaced or deleted or a permission widens.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Differences between two templates, or between the stack's template and a deployed stack.
    Diff {
        /// Two template files: OLD NEW.
        files: Vec<PathBuf>,
        /// Compare the stack's template with this deployed stack.
        #[arg(long)]
        stack_name: Option<String>,
        #[command(flatten)]
        select: project::Select,
        #[command(flatten)]
        aws: deploy::Aws,
        #[arg(long)]
        json: bool,
    },
    /// What deleting the stack removes, retains or snapshots (deployed with `--stack-name`).
    PlanDelete {
        #[arg(long)]
        stack_name: Option<String>,
        #[command(flatten)]
        select: project::Select,
        #[command(flatten)]
        aws: deploy::Aws,
        #[arg(long)]
        json: bool,
    },
    /// Delete a deployed stack, after its delete plan.
    Delete {
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        aws: deploy::Aws,
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// A rule's entry from the guide: what it prevents, why, the fix, the seed's line.
    Explain {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Every finding of the stack, acknowledged or not, on its line (what the build wrote to
    /// findings.sarif); exits 1 when one is an error.
    Findings {
        #[command(flatten)]
        select: project::Select,
        #[arg(long)]
        json: bool,
    },
    /// The stack as a diagram (also written beside the template on every build).
    Graph {
        #[command(flatten)]
        select: project::Select,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
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

/// A report as `--json` prints it.
fn pretty(v: &impl Serialize) -> String {
    serde_json::to_string_pretty(v).expect("a report always serialises") + "\n"
}

fn usage(message: impl Into<String>) -> CliError {
    anyhow::Error::new(Usage(message.into())).into()
}

/// `cargo tap delete --json`.
#[derive(Serialize)]
struct DeleteReport<'a> {
    stack: &'a str,
    status: &'a str,
    plan: &'a plan::Plan,
}

async fn run(command: Command) -> CliResult<String> {
    match command {
        Command::Explain { id, json } => match explain::explain(&id) {
            Some(entry) => Ok(if json { pretty(&entry) } else { entry.to_text() }),
            None => Err(usage(format!("tap has no rule `{id}`; it has: {}", explain::ids().join(", ")))),
        },
        Command::Findings { select, json } => {
            let rows = findings::findings(&select)?;
            let out = if json { pretty(&rows) } else { findings::to_text(&rows) };
            let errors = rows.iter().filter(|r| r.is_error()).count();
            if errors > 0 {
                // The list is the answer; the exit code says the stack does not pass.
                print!("{out}");
                return Err(anyhow::anyhow!("{errors} finding(s) to fix before the stack builds").into());
            }
            Ok(out)
        }
        Command::Graph { select, format } => {
            let stack = project::select(&select)?;
            let file = match format {
                GraphFormat::Dot => "graph.dot",
                GraphFormat::Mermaid => "graph.mmd",
            };
            let path = stack.dir.join(file);
            Ok(std::fs::read_to_string(&path)
                .with_context(|| format!("no {} beside the template: rebuild the crate", path.display()))?)
        }
        Command::Package { select, options, json } => {
            let stack = project::select(&select)?;
            let assets = run_package(&stack, &options, json)?;
            Ok(if json {
                pretty(&package::manifest(&stack, &assets))
            } else {
                assets
                    .iter()
                    .map(|a| format!("{}  {}  {} bytes  {}\n", a.function, a.key, a.bytes, a.architecture))
                    .collect()
            })
        }
        Command::Diff { files, stack_name, select, aws, json } => {
            let d = match (files.as_slice(), stack_name) {
                ([old, new], None) => diff::diff(&project::read_json(old)?, &project::read_json(new)?),
                ([], Some(name)) => {
                    let stack = project::select(&select)?;
                    let c = aws.clients().await;
                    let before = deploy::deployed(&c, &name)
                        .await?
                        .map(|(_, t)| t)
                        .unwrap_or_else(|| serde_json::json!({ "Resources": {} }));
                    diff::diff(&before, &stack.template)
                }
                _ => return Err(usage("give two template files, or `--stack-name` to compare with a deployed stack")),
            };
            Ok(if json { pretty(&d.report()) } else { d.to_text() })
        }
        Command::PlanDelete { stack_name, select, aws, json } => {
            let (name, template, physical) = match stack_name {
                Some(name) => {
                    let c = aws.clients().await;
                    let (_, t) = deploy::deployed(&c, &name)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("there is no stack {name}"))?;
                    let physical = deploy::physical_ids(&c, &name).await?;
                    (name, t, physical)
                }
                None => {
                    let stack = project::select(&select)?;
                    (format!("{} ({})", stack.name, stack.lifecycle.dir()), stack.template, BTreeMap::new())
                }
            };
            let p = plan::plan(&name, &template, &physical);
            Ok(if json { pretty(&p) } else { p.to_text() })
        }
        Command::Delete { stack_name, aws, yes, json } => {
            let c = aws.clients().await;
            let (status, p) = deploy::delete(&c, &stack_name, yes, json).await?;
            Ok(if json {
                pretty(&DeleteReport { stack: &stack_name, status: &status, plan: &p })
            } else {
                format!("{stack_name}: {status}\n")
            })
        }
        Command::Deploy { select, options, aws, suffix, stack_name, asset_bucket, parameters, yes, json } => {
            let args = DeployArgs { suffix, stack_name, asset_bucket, parameters, yes, json };
            deploy(&select, &options, &aws, args).await
        }
    }
}

/// `cargo tap deploy`'s own arguments.
struct DeployArgs {
    suffix: String,
    stack_name: Option<String>,
    asset_bucket: Option<String>,
    parameters: Vec<String>,
    yes: bool,
    json: bool,
}

async fn deploy(
    select: &project::Select,
    options: &package::Options,
    aws: &deploy::Aws,
    args: DeployArgs,
) -> CliResult<String> {
    let DeployArgs { suffix, stack_name, asset_bucket, parameters, yes, json } = args;
    let stack = project::select(select)?;
    let assets = run_package(&stack, options, json)?;
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    params.insert(tap_core::cfn::SUFFIX_PARAM.into(), suffix.clone());
    if let Some(b) = &asset_bucket {
        params.insert(tap_core::cfn::ASSET_BUCKET_PARAM.into(), b.clone());
    }
    for a in &assets {
        params.insert(a.parameter.clone(), a.key.clone());
    }
    for p in &parameters {
        let (k, v) = p.split_once('=').ok_or_else(|| usage(format!("`--parameter {p}`: write Name=value")))?;
        params.insert(k.to_owned(), v.to_owned());
    }
    let name = stack_name.unwrap_or_else(|| format!("{}-{suffix}", stack.name));
    let c = aws.clients().await;
    let request = deploy::Request {
        stack_name: &name,
        template: &stack.template,
        parameters: params,
        uploads: assets.iter().map(|a| (a.key.clone(), a.path.clone())).collect(),
        asset_bucket: asset_bucket.as_deref(),
        yes,
        quiet: json,
    };
    let report = deploy::deploy(&c, request).await?;
    Ok(if json {
        pretty(&report)
    } else {
        let mut s = format!("{}: {}\n", report.stack, report.status);
        if let Some(said) = &report.reported {
            s.push_str(&format!(
                "  the endpoint said {said}, but has no record of {} of the template's {} resources: it did not create them\n  (an emulator skips types it does not support; against AWS, the stack is not what the template says):\n",
                report.missing.len(),
                stack.template["Resources"].as_object().map_or(0, |m| m.len()),
            ));
            for m in &report.missing {
                s.push_str(&format!("    {} ({})\n", m.logical_id, m.resource_type));
            }
        }
        for (k, v) in &report.outputs {
            s.push_str(&format!("  {k} = {v}\n"));
        }
        s
    })
}

fn run_package(
    stack: &project::StackDir,
    options: &package::Options,
    quiet: bool,
) -> anyhow::Result<Vec<package::Asset>> {
    let n = stack.functions().len() as u64;
    let bar = if quiet || n == 0 || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(n)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("packaging [{bar:30}] {pos}/{len} {wide_msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let assets = package::package(stack, options, |f| {
        bar.set_message(f.to_owned());
        bar.inc(0);
    })?;
    bar.finish_and_clear();
    Ok(assets)
}
