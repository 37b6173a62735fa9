use std::path::{Path, PathBuf};

use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::value::Code;

pub static RULE: Rule = Rule {
    id: "TAP-CODE-001",
    title: "Function code comes from an asset that exists",
    mistake: "seed mistake 8: inline Lambda code (lambda_.Code.from_inline)",
    seed: "code=lambda_.Code.from_inline(\"\"\"import json ...\"\"\")",
    explanation: "Code written into the stack as a string is not compiled, not tested and not \
        reviewed as code. A function's code is a binary of a crate in the workspace (`Bin`) or a \
        directory (`Dir`), and it must exist when the stack compiles.",
    fix: "Move the code into `src/bin/<name>.rs` and write `code: Bin(\"<name>\")`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("code written into the template is not built, tested or versioned with the crate"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in cx.stack.of::<Function>() {
        let label = &cx.stack.node(i).label;
        let loc = f.code.loc.clone();
        match &f.code.value {
            Code::Inline(_) => out.push(Finding::new(
                RULE.id,
                loc,
                format!("{label} has inline code: it is never compiled, tested or packaged with its dependencies"),
                "move it to `src/bin/<name>.rs` and write `code: Bin(\"<name>\")`",
            )),
            Code::Bin(arg) => {
                if let Err(why) = find_bin(&cx.root, arg) {
                    out.push(Finding::new(
                        RULE.id,
                        loc,
                        format!("{label}: binary `{arg}` not found: {why}"),
                        format!("create `src/bin/{arg}.rs` in the crate that declares the stack"),
                    ));
                }
            }
            Code::Dir(arg) => {
                if !cx.root.join(arg).is_dir() {
                    out.push(Finding::new(
                        RULE.id,
                        loc,
                        format!(
                            "{label}: code directory \"{arg}\" does not exist (resolved from {})",
                            cx.root.display()
                        ),
                        "point `Dir(..)` at an existing directory, relative to the file that declares the stack",
                    ));
                }
            }
        }
    }
    out
}
/// The manifest of the crate that holds `dir`, and the path of binary `name` in it.
pub fn find_bin(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf), String> {
    let manifest = dir
        .ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
        .ok_or_else(|| format!("no Cargo.toml above {}", dir.display()))?;
    let krate = manifest.parent().expect("a file has a parent");
    for candidate in [krate.join(format!("src/bin/{name}.rs")), krate.join(format!("src/bin/{name}/main.rs"))] {
        if candidate.is_file() {
            return Ok((manifest.clone(), candidate));
        }
    }
    // An explicit [[bin]] target with a path of its own.
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    for section in text.split("[[bin]]").skip(1) {
        let section = section.split("\n[").next().unwrap_or_default();
        let field = |key: &str| {
            section.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        if field("name").as_deref() == Some(name) {
            let path = krate.join(field("path").unwrap_or_else(|| format!("src/bin/{name}.rs")));
            if path.is_file() {
                return Ok((manifest.clone(), path));
            }
            return Err(format!("[[bin]] `{name}` points at {}, which does not exist", path.display()));
        }
    }
    Err(format!("{} has no src/bin/{name}.rs and no [[bin]] named `{name}`", manifest.display()))
}
