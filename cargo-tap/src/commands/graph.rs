//! `cargo tap graph`: the stack (or the app) as a diagram.

use anyhow::Context;
use clap::ValueEnum;

use crate::error::CliResult;
use crate::project;

/// The diagram's format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

/// The stack as a diagram (also written beside the template on every build).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    select: project::Select,
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    format: GraphFormat,
}

pub fn run(Args { select, format }: Args) -> CliResult<String> {
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
