//! `cargo tap diff`: two files, one deployed stack, or every stack of the app (`--suffix`).

use std::path::PathBuf;

use super::{one_or_list, usage, Target};
use crate::error::CliResult;
use crate::{cloudformation, diff, project};

/// Differences between two templates, or between each stack's template and its deployed stack.
#[derive(clap::Args)]
pub struct Args {
    /// Two template files: OLD NEW.
    files: Vec<PathBuf>,
    #[command(flatten)]
    target: Target,
}

pub async fn run(Args { files, target }: Args) -> CliResult<String> {
    let Target { stack_name, suffix, select, aws, json } = target;
    let diffs = match (files.as_slice(), stack_name, suffix) {
        ([old, new], None, None) => {
            vec![("".to_owned(), diff::diff(&project::read_json(old)?, &project::read_json(new)?))]
        }
        ([], Some(name), None) => {
            let stack = project::select(&select)?;
            let c = aws.clients().await;
            vec![(name.clone(), diff::diff(&deployed_or_empty(&c, &name).await?, &stack.template))]
        }
        ([], None, Some(suffix)) => {
            let c = aws.clients().await;
            let mut out = Vec::new();
            for stack in project::select_all(&select)? {
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

/// The deployed stack's template, or an empty one when there is no such stack.
async fn deployed_or_empty(c: &cloudformation::Clients, name: &str) -> anyhow::Result<serde_json::Value> {
    Ok(cloudformation::deployed(c, name)
        .await?
        .map(|(_, t)| t)
        .unwrap_or_else(|| serde_json::json!({ "Resources": {} })))
}
