//! `cargo tap package`: every function of the crate's stacks built and zipped.

use super::one_or_list;
use crate::error::CliResult;
use crate::{package, project};

/// Build every function of the stack for provided.al2023 and zip it, named by content hash.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    select: project::Select,
    #[command(flatten)]
    options: package::Options,
    #[arg(long)]
    json: bool,
}

pub fn run(Args { select, options, json }: Args) -> CliResult<String> {
    let mut reports = Vec::new();
    for stack in project::select_all(&select)? {
        let assets = with_progress(&stack, &options, json)?;
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

/// Packages one stack's functions, with a progress bar on a terminal.
pub fn with_progress(
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
