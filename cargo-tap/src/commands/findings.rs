//! `cargo tap findings`: every finding of the crate's stacks, on its line.

use super::pretty;
use crate::error::CliResult;
use crate::{findings, project};

/// Every finding of the stack, acknowledged or not, on its line (what the build wrote to
/// findings.sarif); exits 1 when one is an error.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    select: project::Select,
    #[arg(long)]
    json: bool,
}

pub fn run(Args { select, json }: Args) -> CliResult<String> {
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
