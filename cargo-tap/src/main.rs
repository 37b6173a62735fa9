//! `cargo tap`: from an app crate's stack to a deployed one and back.
//!
//! ```text
//! cargo tap package      [-p crate] [--stack S]                      build and zip every function
//! cargo tap deploy       --suffix dev [--lifecycle L] --asset-bucket B [--parameter K=V].. [--yes]
//! cargo tap diff         OLD.json NEW.json | --stack-name N           what changes, what is replaced
//! cargo tap plan-delete  [--stack-name N]                            what a delete removes or keeps
//! cargo tap delete       --stack-name N [--yes]
//! cargo tap explain      TAP-IAM-001                                 a rule's guide entry
//! cargo tap graph        [--format mermaid|dot]                      the stack as a diagram
//! ```
//!
//! Every report has a `--json` form. Exit codes: 0 done, 1 failed, 2 usage, 3 refused (a
//! risky change or delete without `--yes` and without a terminal to ask on).

mod deploy;
mod diff;
mod explain;
mod package;
mod plan;
mod project;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;

/// A command's failure: what to print, and the exit code.
#[derive(Debug)]
pub struct Fail {
    pub message: String,
    pub code: u8,
}

impl Fail {
    pub fn new(message: impl Into<String>) -> Fail {
        Fail { message: message.into(), code: 1 }
    }
    /// Not done on purpose: a question nobody could answer.
    pub fn refused(message: impl Into<String>) -> Fail {
        Fail { message: message.into(), code: 3 }
    }
}

#[derive(Parser)]
#[command(
    name = "cargo tap",
    bin_name = "cargo tap",
    version,
    about = "Package, deploy, diff, plan the deletion of, explain and draw tap stacks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// The stack as a diagram (also written beside the template on every build).
    Graph {
        #[command(flatten)]
        select: project::Select,
        #[arg(long, default_value = "mermaid", value_parser = ["mermaid", "dot"])]
        format: String,
    },
}

fn main() -> ExitCode {
    // Run as `cargo tap ..`, cargo passes "tap" first.
    let mut args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("tap") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(run(cli.command)) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON") + "\n"
}

async fn run(command: Command) -> Result<String, Fail> {
    match command {
        Command::Explain { id, json } => match explain::explain(&id) {
            Some((text, j)) => Ok(if json { pretty(&j) } else { text }),
            None => {
                Err(Fail { message: format!("tap has no rule `{id}`; it has: {}", explain::ids().join(", ")), code: 2 })
            }
        },
        Command::Graph { select, format } => {
            let stack = project::select(&select)?;
            let file = if format == "dot" { "graph.dot" } else { "graph.mmd" };
            std::fs::read_to_string(stack.dir.join(file))
                .map_err(|e| Fail::new(format!("no {file} beside the template ({e}): rebuild the crate")))
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
                    let before =
                        deploy::deployed(&c, &name).await?.map(|(_, t)| t).unwrap_or(json!({ "Resources": {} }));
                    diff::diff(&before, &stack.template)
                }
                _ => {
                    return Err(Fail {
                        message: "give two template files, or `--stack-name` to compare with a deployed stack".into(),
                        code: 2,
                    })
                }
            };
            Ok(if json { pretty(&d.to_json()) } else { d.to_text() })
        }
        Command::PlanDelete { stack_name, select, aws, json } => {
            let (name, template, physical) = match stack_name {
                Some(name) => {
                    let c = aws.clients().await;
                    let (_, t) = deploy::deployed(&c, &name)
                        .await?
                        .ok_or_else(|| Fail::new(format!("there is no stack {name}")))?;
                    let physical = deploy::physical_ids(&c, &name).await?;
                    (name, t, physical)
                }
                None => {
                    let stack = project::select(&select)?;
                    (format!("{} ({})", stack.name, stack.lifecycle), stack.template, BTreeMap::new())
                }
            };
            let rows = plan::plan(&template, &physical);
            Ok(if json { pretty(&plan::to_json(&name, &rows)) } else { plan::to_text(&name, &rows) })
        }
        Command::Delete { stack_name, aws, yes, json } => {
            let c = aws.clients().await;
            let (status, rows) = deploy::delete(&c, &stack_name, yes, json).await?;
            Ok(if json {
                pretty(&json!({ "stack": stack_name, "status": status, "plan": plan::to_json(&stack_name, &rows) }))
            } else {
                format!("{stack_name}: {status}\n")
            })
        }
        Command::Deploy { select, options, aws, suffix, stack_name, asset_bucket, parameters, yes, json } => {
            let stack = project::select(&select)?;
            let assets = run_package(&stack, &options, json)?;
            let mut params: BTreeMap<String, String> = BTreeMap::new();
            params.insert(tap_core::cfn::SUFFIX_PARAM.into(), suffix.clone());
            if let Some(b) = &asset_bucket {
                params.insert(tap_core::cfn::ASSET_BUCKET_PARAM.into(), b.clone());
            }
            for a in &assets {
                params.insert(a.parameter.clone(), a.key.clone());
            }
            for p in &parameters {
                let (k, v) = p
                    .split_once('=')
                    .ok_or_else(|| Fail { message: format!("`--parameter {p}`: write Name=value"), code: 2 })?;
                params.insert(k.to_owned(), v.to_owned());
            }
            let name = stack_name.unwrap_or_else(|| format!("{}-{suffix}", stack.name));
            let c = aws.clients().await;
            let report = deploy::deploy(
                &c,
                deploy::Request {
                    stack_name: &name,
                    template: &stack.template,
                    parameters: params,
                    uploads: assets.iter().map(|a| (a.key.clone(), a.path.clone())).collect(),
                    asset_bucket: asset_bucket.as_deref(),
                    yes,
                    quiet: json,
                },
            )
            .await?;
            Ok(if json {
                pretty(&report.to_json())
            } else {
                let mut s = format!("{}: {}\n", report.stack_name, report.status);
                for (k, v) in &report.outputs {
                    s.push_str(&format!("  {k} = {v}\n"));
                }
                s
            })
        }
    }
}

fn run_package(
    stack: &project::StackDir,
    options: &package::Options,
    quiet: bool,
) -> Result<Vec<package::Asset>, Fail> {
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
