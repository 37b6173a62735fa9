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
//! A crate whose stacks form one app (`#[tap::app]`) is handled whole: `deploy` deploys every
//! stack after the stacks it imports from, `delete --suffix` deletes in the reverse order,
//! and `package`, `diff`, `plan-delete` and `graph` cover every stack (`--stack` picks one).
//! A report about several stacks is a list, in deploy order.
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
    /// Differences between two templates, or between each stack's template and its deployed stack.
    Diff {
        /// Two template files: OLD NEW.
        files: Vec<PathBuf>,
        /// Compare the stack's template with this deployed stack.
        #[arg(long)]
        stack_name: Option<String>,
        /// Compare each stack of the app with its deployment `<Stack>-<suffix>`.
        #[arg(long, conflicts_with = "stack_name")]
        suffix: Option<String>,
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
        /// Plan deleting each deployed stack `<Stack>-<suffix>` of the app, in the order a
        /// delete takes them.
        #[arg(long, conflicts_with = "stack_name")]
        suffix: Option<String>,
        #[command(flatten)]
        select: project::Select,
        #[command(flatten)]
        aws: deploy::Aws,
        #[arg(long)]
        json: bool,
    },
    /// Delete a deployed stack, after its delete plan; with `--suffix`, every stack of the app,
    /// each before the stacks it imports from.
    Delete {
        #[arg(long, required_unless_present = "suffix")]
        stack_name: Option<String>,
        /// Delete each stack `<Stack>-<suffix>` of the app, consumers first.
        #[arg(long, conflicts_with = "stack_name")]
        suffix: Option<String>,
        #[command(flatten)]
        select: project::Select,
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
struct DeleteReport {
    stack: String,
    status: String,
    plan: plan::Plan,
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
            let stacks = project::select_all(&select)?;
            let ext = match format {
                GraphFormat::Dot => "dot",
                GraphFormat::Mermaid => "mmd",
            };
            // Several stacks: the app's diagram, written beside them by `tap::build::emit_app`.
            let path = match stacks.as_slice() {
                [one] => one.dir.join(format!("graph.{ext}")),
                _ => {
                    let package = stacks[0].manifest.as_ref().map(|m| m.package.as_str()).unwrap_or_default();
                    let dir = stacks[0].dir.parent().unwrap_or(&stacks[0].dir);
                    tap_core::build::app_graph_path(dir, package, ext)
                }
            };
            Ok(std::fs::read_to_string(&path)
                .with_context(|| format!("no {} beside the templates: rebuild the crate", path.display()))?)
        }
        Command::Package { select, options, json } => {
            let mut reports = Vec::new();
            for stack in project::select_all(&select)? {
                let assets = run_package(&stack, &options, json)?;
                reports.push((stack, assets));
            }
            Ok(if json {
                let manifests: Vec<_> = reports.iter().map(|(s, a)| package::manifest(s, a)).collect();
                one_or_list(&manifests)
            } else {
                reports
                    .iter()
                    .flat_map(|(_, assets)| assets)
                    .map(|a| format!("{}  {}  {} bytes  {}\n", a.function, a.key, a.bytes, a.architecture))
                    .collect()
            })
        }
        Command::Diff { files, stack_name, suffix, select, aws, json } => {
            diff_command(&files, stack_name, suffix, &select, &aws, json).await
        }
        Command::PlanDelete { stack_name, suffix, select, aws, json } => {
            plan_delete_command(stack_name, suffix, &select, &aws, json).await
        }
        Command::Delete { stack_name, suffix, select, aws, yes, json } => {
            delete_command(stack_name, suffix, &select, &aws, yes, json).await
        }
        Command::Deploy { select, options, aws, suffix, stack_name, asset_bucket, parameters, yes, json } => {
            let args = DeployArgs { suffix, stack_name, asset_bucket, parameters, yes, json };
            deploy(&select, &options, &aws, args).await
        }
    }
}

/// `cargo tap diff`: two files, one deployed stack, or every stack of the app (`--suffix`).
async fn diff_command(
    files: &[PathBuf],
    stack_name: Option<String>,
    suffix: Option<String>,
    select: &project::Select,
    aws: &deploy::Aws,
    json: bool,
) -> CliResult<String> {
    let diffs = match (files, stack_name, suffix) {
        ([old, new], None, None) => {
            vec![("".to_owned(), diff::diff(&project::read_json(old)?, &project::read_json(new)?))]
        }
        ([], Some(name), None) => {
            let stack = project::select(select)?;
            let c = aws.clients().await;
            vec![(name.clone(), diff::diff(&deployed_or_empty(&c, &name).await?, &stack.template))]
        }
        ([], None, Some(suffix)) => {
            let c = aws.clients().await;
            let mut out = Vec::new();
            for stack in project::select_all(select)? {
                let name = stack.deployed_name(&suffix);
                let d = diff::diff(&deployed_or_empty(&c, &name).await?, &stack.template);
                out.push((name, d));
            }
            out
        }
        _ => {
            return Err(usage(
                "give two template files, `--stack-name` to compare with a deployed stack, or `--suffix` for every stack of the app",
            ))
        }
    };
    Ok(if json {
        one_or_list(&diffs.iter().map(|(_, d)| d.report()).collect::<Vec<_>>())
    } else if let [(_, d)] = diffs.as_slice() {
        d.to_text()
    } else {
        diffs.iter().map(|(name, d)| format!("== {name}\n{}", d.to_text())).collect()
    })
}

/// `cargo tap plan-delete`: a deployed stack, every deployed stack of the app, or each
/// stack's template, in the order a delete takes them.
async fn plan_delete_command(
    stack_name: Option<String>,
    suffix: Option<String>,
    select: &project::Select,
    aws: &deploy::Aws,
    json: bool,
) -> CliResult<String> {
    let mut plans = Vec::new();
    match (stack_name, suffix) {
        (Some(name), _) => {
            let c = aws.clients().await;
            plans.push(deployed_plan(&c, &name).await?);
        }
        (None, Some(suffix)) => {
            let c = aws.clients().await;
            // In the order a delete takes them: consumers first.
            for stack in project::select_all(select)?.iter().rev() {
                plans.push(deployed_plan(&c, &stack.deployed_name(&suffix)).await?);
            }
        }
        (None, None) => {
            for stack in project::select_all(select)?.iter().rev() {
                let name = format!("{} ({})", stack.name, stack.lifecycle.dir());
                plans.push(plan::plan(&name, &stack.template, &BTreeMap::new()));
            }
        }
    }
    Ok(if json { one_or_list(&plans) } else { plans.iter().map(plan::Plan::to_text).collect() })
}

/// `cargo tap delete`: one deployed stack, or every stack of the app, consumers first.
async fn delete_command(
    stack_name: Option<String>,
    suffix: Option<String>,
    select: &project::Select,
    aws: &deploy::Aws,
    yes: bool,
    json: bool,
) -> CliResult<String> {
    let (names, app) = match (stack_name, suffix) {
        (Some(name), _) => (vec![name], false),
        // Each stack before the stacks it imports from: an export in use cannot go.
        (None, Some(suffix)) => {
            let stacks = project::select_all(select)?;
            (stacks.iter().rev().map(|s| s.deployed_name(&suffix)).collect(), true)
        }
        (None, None) => return Err(usage("name the stack with `--stack-name`, or the app's with `--suffix`")),
    };
    let c = aws.clients().await;
    let mut reports = Vec::new();
    let mut text = String::new();
    for name in &names {
        // An app deployed in part (a first deploy that stopped half way): what is there goes.
        if app && deploy::deployed(&c, name).await?.is_none() {
            text.push_str(&format!("{name}: not deployed\n"));
            continue;
        }
        let (status, p) = deploy::delete(&c, name, yes, json).await?;
        text.push_str(&format!("{name}: {status}\n"));
        reports.push(DeleteReport { stack: name.clone(), status, plan: p });
    }
    Ok(if json { one_or_list(&reports) } else { text })
}

/// One report as it is; several (the stacks of an app) as a list, in deploy order.
fn one_or_list<T: Serialize>(items: &[T]) -> String {
    match items {
        [one] => pretty(one),
        _ => pretty(&items),
    }
}

async fn deployed_or_empty(c: &deploy::Clients, name: &str) -> anyhow::Result<serde_json::Value> {
    Ok(deploy::deployed(c, name).await?.map(|(_, t)| t).unwrap_or_else(|| serde_json::json!({ "Resources": {} })))
}

async fn deployed_plan(c: &deploy::Clients, name: &str) -> anyhow::Result<plan::Plan> {
    let (_, t) = deploy::deployed(c, name).await?.ok_or_else(|| anyhow::anyhow!("there is no stack {name}"))?;
    let physical = deploy::physical_ids(c, name).await?;
    Ok(plan::plan(name, &t, &physical))
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
    let stacks = project::select_all(select)?;
    if stack_name.is_some() && stacks.len() > 1 {
        return Err(usage("`--stack-name` names one stack, and the app has several: leave it out (each is `<Stack>-<suffix>`) or choose one with `--stack`"));
    }
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for p in &parameters {
        let (k, v) = p.split_once('=').ok_or_else(|| usage(format!("`--parameter {p}`: write Name=value")))?;
        given.insert(k.to_owned(), v.to_owned());
    }
    let name_of = |s: &project::StackDir| stack_name.clone().unwrap_or_else(|| s.deployed_name(&suffix));
    let c = aws.clients().await;
    let mut reports = Vec::new();
    let mut text = String::new();
    // In deploy order: each stack after the stacks it imports from.
    for stack in &stacks {
        let assets = run_package(stack, options, json)?;
        let mut params = given.clone();
        params.insert(tap_core::cfn::SUFFIX_PARAM.into(), suffix.clone());
        if let Some(b) = &asset_bucket {
            params.insert(tap_core::cfn::ASSET_BUCKET_PARAM.into(), b.clone());
        }
        for a in &assets {
            params.insert(a.parameter.clone(), a.key.clone());
        }
        let name = name_of(stack);
        // The app's stacks that import from this one, as deployed.
        let consumers: Vec<String> = stacks
            .iter()
            .filter(|s| s.manifest.as_ref().is_some_and(|m| m.depends_on.contains(&stack.name)))
            .map(name_of)
            .collect();
        let mut template = stack.template.clone();
        let kept = if consumers.is_empty() {
            Vec::new()
        } else {
            deploy::keep_exports_in_use(&c, &name, &mut template, &consumers, &params).await?
        };
        let request = deploy::Request {
            stack_name: &name,
            template: &template,
            parameters: params,
            uploads: assets.iter().map(|a| (a.key.clone(), a.path.clone())).collect(),
            asset_bucket: asset_bucket.as_deref(),
            yes,
            quiet: json,
        };
        let mut report = deploy::deploy(&c, request).await?;
        report.kept_exports = kept;
        text.push_str(&deploy_text(&report, &template));
        reports.push(report);
    }
    Ok(if json { one_or_list(&reports) } else { text })
}

/// A deploy's report as the terminal shows it.
fn deploy_text(report: &deploy::Report, template: &serde_json::Value) -> String {
    let mut s = format!("{}: {}\n", report.stack, report.status);
    if let Some(said) = &report.reported {
        s.push_str(&format!(
            "  the endpoint said {said}, but has no record of {} of the template's {} resources: it did not create them\n  (an emulator skips types it does not support; against AWS, the stack is not what the template says):\n",
            report.missing.len(),
            template["Resources"].as_object().map_or(0, |m| m.len()),
        ));
        for m in &report.missing {
            s.push_str(&format!("    {} ({})\n", m.logical_id, m.resource_type));
        }
    }
    for k in &report.kept_exports {
        s.push_str(&format!(
            "  export {} kept for this deployment: {} still imports it; the next deploy drops it\n",
            k.export,
            k.imported_by.join(", ")
        ));
    }
    for (k, v) in &report.outputs {
        s.push_str(&format!("  {k} = {v}\n"));
    }
    s
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
