//! `cargo tap plan-delete`: what deleting removes, retains or snapshots.

use std::collections::BTreeMap;

use super::{one_or_list, Target};
use crate::error::CliResult;
use crate::{cloudformation, plan, project};

/// What deleting the stack removes, retains or snapshots: a deployed stack (`--stack-name`),
/// every deployed stack of the app (`--suffix`) in the order a delete takes them, or each
/// stack's template.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
}

pub async fn run(Args { target }: Args) -> CliResult<String> {
    let Target { stack_name, suffix, select, aws, json } = target;
    let mut plans = Vec::new();
    match (stack_name, suffix) {
        (Some(name), _) => {
            let c = aws.clients().await;
            plans.push(deployed_plan(&c, &name).await?);
        }
        (None, Some(suffix)) => {
            let c = aws.clients().await;
            // In the order a delete takes them: consumers first.
            for stack in project::select_all(&select)?.iter().rev() {
                plans.push(deployed_plan(&c, &stack.deployed_name(&suffix)).await?);
            }
        }
        (None, None) => {
            for stack in project::select_all(&select)?.iter().rev() {
                let name = format!("{} ({})", stack.name, stack.lifecycle.dir());
                plans.push(plan::plan(&name, &stack.template, &BTreeMap::new()));
            }
        }
    }
    Ok(if json { one_or_list(&plans) } else { plans.iter().map(plan::Plan::to_text).collect() })
}

async fn deployed_plan(c: &cloudformation::Clients, name: &str) -> anyhow::Result<plan::Plan> {
    let (_, t) = cloudformation::deployed(c, name).await?.ok_or_else(|| anyhow::anyhow!("there is no stack {name}"))?;
    let physical = cloudformation::physical_ids(c, name).await?;
    Ok(plan::plan(name, &t, &physical))
}
