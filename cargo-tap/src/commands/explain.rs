//! `cargo tap explain ID`: a rule's (or another id's) entry from the guide.

use super::{pretty, usage};
use crate::error::CliResult;
use crate::explain;

/// A rule's entry from the guide: what it prevents, why, the fix, the seed's line.
#[derive(clap::Args)]
pub struct Args {
    id: String,
    #[arg(long)]
    json: bool,
}

pub fn run(Args { id, json }: Args) -> CliResult<String> {
    match explain::explain(&id) {
        Some(entry) => Ok(if json { pretty(&entry) } else { entry.to_text() }),
        None => Err(usage(format!("tap has no rule `{id}`; it has: {}", explain::ids().join(", ")))),
    }
}
