//! `cargo tap delete`: one deployed stack, or every stack of the app, consumers first.

use serde::Serialize;

use super::{one_or_list, usage, Target};
use crate::error::CliResult;
use crate::{cloudformation, plan, project, survivors};

/// Delete a deployed stack, after its delete plan; with `--suffix`, every stack of the app,
/// each before the stacks it imports from.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Delete without asking, even when data is deleted.
    #[arg(long)]
    yes: bool,
}

/// `cargo tap delete --json`.
#[derive(Serialize)]
struct DeleteReport {
    stack: String,
    status: String,
    plan: plan::Plan,
    /// What was looked up after the delete: resources the plan deletes that are still there.
    #[serde(flatten)]
    found: survivors::Found,
}

pub async fn run(Args { target, yes }: Args) -> CliResult<String> {
    let Target { stack_name, suffix, select, aws, json } = target;
    let (names, app) = match (stack_name, suffix) {
        (Some(name), _) => (vec![name], false),
        // Each stack before the stacks it imports from: an export in use cannot go.
        (None, Some(suffix)) => {
            let stacks = project::select_all(&select)?;
            (stacks.iter().rev().map(|s| s.deployed_name(&suffix)).collect(), true)
        }
        (None, None) => return Err(usage("name the stack with `--stack-name`, or the app's with `--suffix`")),
    };
    let c = aws.clients().await;
    let mut reports = Vec::new();
    let mut text = String::new();
    for name in &names {
        // An app deployed in part (a first deploy that stopped half way): what is there goes.
        if app && cloudformation::deployed(&c, name).await?.is_none() {
            text.push_str(&format!("{name}: not deployed\n"));
            continue;
        }
        let (status, p) = cloudformation::delete_stack(&c, name, yes, json).await?;
        // Never the endpoint's status alone: what the plan deletes must be gone.
        let found = survivors::find(&c, &p).await;
        text.push_str(&format!("{name}: {status}\n{}", found.to_text()));
        reports.push(DeleteReport { stack: name.clone(), status, plan: p, found });
    }
    let out = if json { one_or_list(&reports) } else { text };
    let left: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            r.found.survivors.iter().map(move |v| format!("{} {} ({})", r.stack, v.logical_id, v.physical_id))
        })
        .collect();
    if !left.is_empty() {
        print!("{out}");
        return Err(anyhow::anyhow!(
            "{} resource(s) the delete plan does not keep are still there: {}; remove them, or keep them on purpose with `removal: Retain`",
            left.len(),
            left.join(", ")
        )
        .into());
    }
    Ok(out)
}
