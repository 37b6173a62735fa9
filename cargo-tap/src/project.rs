//! Finding an app crate's stacks: `cargo check` runs the crate's build script, which writes
//! each stack under `<target dir>/tap/<Stack>/` (`stack.json`, one `template.json` per
//! lifecycle, the delete plan, the diagram); this reads them back.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

use crate::Fail;

/// Where a command finds its stack.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Select {
    /// The app crate (a workspace package) whose stacks to use.
    #[arg(short = 'p', long = "package")]
    pub package: Option<String>,
    /// The stack's name, when the crate declares more than one.
    #[arg(long)]
    pub stack: Option<String>,
    /// The lifecycle's template to use (`ephemeral` or `durable`); default the stack's first.
    #[arg(long)]
    pub lifecycle: Option<String>,
    /// Use this template file instead of building the crate.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The workspace's Cargo.toml (default: the one cargo finds from here).
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// One stack as the build wrote it.
#[derive(Debug)]
pub struct StackDir {
    pub dir: PathBuf,
    pub name: String,
    /// `stack.json`, when the build wrote one (a bare `--template` has none).
    pub manifest: Json,
    pub lifecycle: String,
    pub template: Json,
    /// The cargo target directory (for building functions).
    pub target_dir: PathBuf,
}

impl StackDir {
    pub fn functions(&self) -> Vec<Json> {
        self.manifest["functions"].as_array().cloned().unwrap_or_default()
    }
}

fn cargo(args: &[&str], manifest: Option<&Path>) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    c.args(args);
    if let Some(m) = manifest {
        c.arg("--manifest-path").arg(m);
    }
    c
}

pub fn target_dir(manifest: Option<&Path>) -> Result<PathBuf, Fail> {
    let out = cargo(&["metadata", "--no-deps", "--format-version", "1"], manifest)
        .output()
        .map_err(|e| Fail::new(format!("cannot run cargo metadata: {e}")))?;
    if !out.status.success() {
        return Err(Fail::new(format!("cargo metadata failed:\n{}", String::from_utf8_lossy(&out.stderr))));
    }
    let meta: Json = serde_json::from_slice(&out.stdout).map_err(|e| Fail::new(format!("cargo metadata: {e}")))?;
    Ok(PathBuf::from(meta["target_directory"].as_str().unwrap_or("target")))
}

pub fn read_json(path: &Path) -> Result<Json, Fail> {
    let text = std::fs::read_to_string(path).map_err(|e| Fail::new(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Fail::new(format!("{} is not JSON: {e}", path.display())))
}

/// The selected stack: from `--template`, or by checking the crate (which writes its
/// templates) and reading what it wrote.
pub fn select(sel: &Select) -> Result<StackDir, Fail> {
    let manifest = sel.manifest_path.as_deref();
    if let Some(path) = &sel.template {
        let template = read_json(path)?;
        // Beside a template the build wrote: `<stack dir>/<lifecycle>/template.json`.
        let dir = path.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
        let manifest_json = read_json(&dir.join("stack.json")).unwrap_or(Json::Null);
        let name = manifest_json["stack"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        let lifecycle =
            path.parent().and_then(Path::file_name).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let target_dir = target_dir(manifest).unwrap_or_else(|_| PathBuf::from("target"));
        return Ok(StackDir { dir, name, manifest: manifest_json, lifecycle, template, target_dir });
    }
    // `cargo check` runs build scripts: the templates are current afterwards.
    let mut args = vec!["check", "--quiet"];
    if let Some(p) = &sel.package {
        args.extend(["-p", p]);
    }
    let status = cargo(&args, manifest).status().map_err(|e| Fail::new(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(Fail::new("the crate does not build: fix the errors above (each names `cargo tap explain <id>`)"));
    }
    let target = target_dir(manifest)?;
    let root = target.join("tap");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).map_err(|_| {
        Fail::new(format!("no stacks under {}: does the crate's build.rs call tap::build::emit?", root.display()))
    })? {
        let dir = entry.map_err(|e| Fail::new(e.to_string()))?.path();
        let Ok(m) = read_json(&dir.join("stack.json")) else { continue };
        let package_ok = sel.package.as_deref().is_none_or(|p| m["package"] == p);
        let stack_ok = sel.stack.as_deref().is_none_or(|s| m["stack"] == s);
        if package_ok && stack_ok {
            found.push((dir, m));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let (dir, m) = match found.len() {
        1 => found.pop().expect("one"),
        0 => return Err(Fail::new("no stack matches: name it with `--stack` and its crate with `-p`")),
        _ => {
            let names: Vec<String> = found
                .iter()
                .map(|(_, m)| {
                    format!("{} (-p {})", m["stack"].as_str().unwrap_or(""), m["package"].as_str().unwrap_or(""))
                })
                .collect();
            return Err(Fail::new(format!("more than one stack: choose with `--stack` or `-p`: {}", names.join(", "))));
        }
    };
    let lifecycles: Vec<String> =
        m["lifecycles"].as_array().into_iter().flatten().filter_map(|l| l.as_str().map(str::to_owned)).collect();
    let lifecycle = match &sel.lifecycle {
        Some(l) if lifecycles.contains(&l.to_lowercase()) => l.to_lowercase(),
        Some(l) => {
            return Err(Fail::new(format!(
                "stack {} has no lifecycle `{l}`: it supports {}",
                m["stack"],
                lifecycles.join(", ")
            )))
        }
        None => lifecycles.first().cloned().ok_or_else(|| Fail::new("stack.json lists no lifecycle"))?,
    };
    let template_path = dir.join(&lifecycle).join("template.json");
    let template = read_json(&template_path)?;
    Ok(StackDir {
        name: m["stack"].as_str().unwrap_or_default().to_owned(),
        dir,
        manifest: m,
        lifecycle,
        template,
        target_dir: target,
    })
}
