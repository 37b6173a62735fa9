//! Finding an app crate's stacks: `cargo check` runs the crate's build script, which writes
//! each stack under `<target dir>/tap/<Stack>/` (`stack.json`, one `template.json` per
//! lifecycle, the delete plan, the diagram); this reads them back. A crate may declare
//! several stacks of one app (`#[tap::app]`): they come back in the order they deploy, each
//! after the stacks it imports from (`stack.json`'s `depends_on`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use serde_json::Value as Json;
use tap_core::manifest::{FunctionAsset, StackManifest};
use tap_core::Lifecycle;

use crate::error::Usage;

/// Where a command finds its stack.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Select {
    /// The app crate (a workspace package) whose stacks to use.
    #[arg(short = 'p', long = "package")]
    pub package: Option<String>,
    /// The stack's name, when the crate declares more than one.
    #[arg(long)]
    pub stack: Option<String>,
    /// The lifecycle's template to use; default the stack's first.
    #[arg(long, value_parser = lifecycle)]
    pub lifecycle: Option<Lifecycle>,
    /// Use this template file instead of building the crate (repeat it for the stacks of an
    /// app: each `stack.json` beside its template says what it imports from).
    #[arg(long, value_name = "FILE")]
    pub template: Vec<PathBuf>,
    /// The workspace's Cargo.toml (default: the one cargo finds from here).
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// `--lifecycle ephemeral|durable`, in any case.
fn lifecycle(word: &str) -> Result<Lifecycle, String> {
    let word = word.to_lowercase();
    Lifecycle::from_dir(&word).ok_or_else(|| format!("`{word}` is not a lifecycle: ephemeral or durable"))
}

/// One stack as the build wrote it.
#[derive(Debug)]
pub struct StackDir {
    pub dir: PathBuf,
    pub name: String,
    /// `stack.json`, when the build wrote one (a bare `--template` has none).
    pub manifest: Option<StackManifest>,
    pub lifecycle: Lifecycle,
    pub template: Json,
    /// The cargo target directory (for building functions).
    pub target_dir: PathBuf,
}

impl StackDir {
    /// The CloudFormation stack it deploys as for environment `suffix` (without
    /// `--stack-name`): `<Stack>-<suffix>`, for every command that finds it again.
    pub fn deployed_name(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.name)
    }
    pub fn functions(&self) -> &[FunctionAsset] {
        self.manifest.as_ref().map(|m| m.functions.as_slice()).unwrap_or_default()
    }
}

fn metadata(manifest: Option<&Path>) -> anyhow::Result<cargo_metadata::Metadata> {
    let mut cmd = cargo_metadata::MetadataCommand::new();
    cmd.no_deps();
    if let Some(m) = manifest {
        cmd.manifest_path(m);
    }
    cmd.exec().context("cargo metadata failed")
}

pub fn target_dir(manifest: Option<&Path>) -> anyhow::Result<PathBuf> {
    Ok(metadata(manifest)?.target_directory.into_std_path_buf())
}

pub fn read_json(path: &Path) -> anyhow::Result<Json> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// Reads a `stack.json`; one that does not match the build's contract is an error naming
/// the field (a stale file from an older tap, say), never a silent default.
pub fn read_manifest(path: &Path) -> anyhow::Result<StackManifest> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    StackManifest::from_json(&text)
        .with_context(|| format!("{} is not a stack manifest this cargo-tap reads: rebuild the crate", path.display()))
}

/// A stack directory under `<target>/tap` and its manifest.
pub type Found = (PathBuf, StackManifest);

/// Splits the stacks found under `<target>/tap` into those their package's latest
/// build-script run wrote and stale ones (a package without a list keeps all: an older tap
/// wrote it).
pub fn current(found: Vec<Found>, tap_dir: &Path) -> (Vec<Found>, Vec<Found>) {
    found.into_iter().partition(|(_, m)| {
        let path = tap_core::manifest::EmittedStacks::path(tap_dir, &m.package);
        let list: Option<tap_core::manifest::EmittedStacks> =
            std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str(&t).ok());
        list.is_none_or(|l| l.stacks.contains(&m.stack))
    })
}

/// `cargo check --quiet` of the selected package (or the workspace), as the user runs it.
pub fn cargo_check(sel: &Select) -> Command {
    let mut check = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    check.args(["check", "--quiet"]);
    if let Some(p) = &sel.package {
        check.args(["-p", p]);
    }
    if let Some(m) = &sel.manifest_path {
        check.arg("--manifest-path").arg(m);
    }
    check
}

/// The one selected stack (a command about a single stack: `--stack-name` names one).
pub fn select(sel: &Select) -> anyhow::Result<StackDir> {
    let mut all = select_all(sel)?;
    if all.len() > 1 {
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        bail!(Usage(format!(
            "this names one deployed stack, and the app has {}: choose one with `--stack`",
            names.join(", ")
        )));
    }
    Ok(all.pop().expect("select_all returns at least one stack"))
}

/// The selected stacks in the order they deploy: from `--template` files, or by checking the
/// crate (which writes its templates) and reading what it wrote. Several stacks of one
/// package are one app; stacks of several packages need `-p`.
pub fn select_all(sel: &Select) -> anyhow::Result<Vec<StackDir>> {
    let manifest = sel.manifest_path.as_deref();
    if !sel.template.is_empty() {
        let stacks = sel.template.iter().map(|t| beside(t, manifest)).collect::<anyhow::Result<Vec<_>>>()?;
        return in_deploy_order(stacks);
    }
    // `cargo check` runs build scripts: the templates are current afterwards.
    if !cargo_check(sel).status().context("cannot run cargo")?.success() {
        bail!("the crate does not build: fix the errors above (each names `cargo tap explain <id>`)");
    }
    let target = target_dir(manifest)?;
    let root = target.join("tap");
    let entries = std::fs::read_dir(&root).with_context(|| {
        format!("no stacks under {}: does the crate's build.rs call tap::build::emit?", root.display())
    })?;
    let mut found = Vec::new();
    for entry in entries {
        let dir = entry.with_context(|| format!("cannot list {}", root.display()))?.path();
        let path = dir.join("stack.json");
        if !path.is_file() {
            continue;
        }
        let m = read_manifest(&path)?;
        let package_ok = sel.package.as_deref().is_none_or(|p| m.package == p);
        let stack_ok = sel.stack.as_deref().is_none_or(|s| m.stack == s);
        if package_ok && stack_ok {
            found.push((dir, m));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let (found, stale) = current(found, &root);
    if !stale.is_empty() {
        eprintln!(
            "ignoring {} stale stack director{} no build of the crate writes any more (a stack renamed?): {}; remove {} to tidy up",
            stale.len(),
            if stale.len() == 1 { "y" } else { "ies" },
            stale.iter().map(|(_, m)| m.stack.as_str()).collect::<Vec<_>>().join(", "),
            if stale.len() == 1 { "it" } else { "them" },
        );
    }
    if found.is_empty() {
        bail!(Usage("no stack matches: name it with `--stack` and its crate with `-p`".into()));
    }
    if found.iter().any(|(_, m)| m.package != found[0].1.package) {
        let names: Vec<String> = found.iter().map(|(_, m)| format!("{} (-p {})", m.stack, m.package)).collect();
        bail!(Usage(format!("stacks of more than one crate: choose with `-p` (or `--stack`): {}", names.join(", "))));
    }
    let stacks = found
        .into_iter()
        .map(|(dir, m)| {
            let lifecycle = lifecycle_of(&m, sel.lifecycle)?;
            let template = read_json(&dir.join(lifecycle.dir()).join("template.json"))?;
            Ok(StackDir {
                name: m.stack.clone(),
                dir,
                manifest: Some(m),
                lifecycle,
                template,
                target_dir: target.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    in_deploy_order(stacks)
}

/// The lifecycle asked for, which the stack must support; its first by default.
fn lifecycle_of(m: &StackManifest, asked: Option<Lifecycle>) -> anyhow::Result<Lifecycle> {
    match asked {
        Some(l) if m.lifecycles.contains(&l) => Ok(l),
        Some(l) => {
            let supported: Vec<&str> = m.lifecycles.iter().map(|l| l.dir()).collect();
            bail!(Usage(format!(
                "stack {} has no lifecycle `{}`: it supports {}",
                m.stack,
                l.dir(),
                supported.join(", ")
            )))
        }
        None => m.lifecycles.first().copied().context("stack.json lists no lifecycle"),
    }
}

/// Each stack after the stacks it imports from (a stack it imports from that is not
/// selected is taken as deployed already), otherwise in the order given.
pub fn in_deploy_order(mut stacks: Vec<StackDir>) -> anyhow::Result<Vec<StackDir>> {
    let deps = |s: &StackDir| s.manifest.as_ref().map(|m| m.depends_on.clone()).unwrap_or_default();
    let mut ordered: Vec<StackDir> = Vec::with_capacity(stacks.len());
    while !stacks.is_empty() {
        let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
        let Some(next) = stacks.iter().position(|s| deps(s).iter().all(|d| !names.contains(d))) else {
            // The macro refuses a cycle (TAP-LINK-004): only hand-edited manifests get here.
            bail!("the stacks {} import from each other: rebuild the crate, which refuses that", names.join(", "));
        };
        ordered.push(stacks.remove(next));
    }
    Ok(ordered)
}

/// A template given as a file: the manifest and lifecycle come from where it lies when the
/// build wrote it (`<stack dir>/<lifecycle>/template.json`).
fn beside(path: &Path, manifest: Option<&Path>) -> anyhow::Result<StackDir> {
    let template = read_json(path)?;
    let dir = path.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    let stack_json = dir.join("stack.json");
    let m = if stack_json.is_file() { Some(read_manifest(&stack_json)?) } else { None };
    let name = m
        .as_ref()
        .map(|m| m.stack.clone())
        .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let from_dir = path.parent().and_then(Path::file_name).and_then(|d| d.to_str()).and_then(Lifecycle::from_dir);
    let lifecycle =
        from_dir.or_else(|| m.as_ref().and_then(|m| m.lifecycles.first().copied())).unwrap_or(Lifecycle::Ephemeral);
    let target_dir = target_dir(manifest).unwrap_or_else(|_| PathBuf::from("target"));
    Ok(StackDir { dir, name, manifest: m, lifecycle, template, target_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(stack: &str) -> StackManifest {
        StackManifest {
            stack: stack.into(),
            package: "app".into(),
            manifest_dir: PathBuf::new(),
            lifecycles: vec![Lifecycle::Ephemeral],
            functions: vec![],
            depends_on: vec![],
        }
    }

    fn dir(stack: &str, depends_on: &[&str]) -> StackDir {
        let mut m = manifest(stack);
        m.depends_on = depends_on.iter().map(|d| (*d).to_owned()).collect();
        StackDir {
            dir: PathBuf::from(stack),
            name: stack.into(),
            manifest: Some(m),
            lifecycle: Lifecycle::Ephemeral,
            template: Json::Null,
            target_dir: PathBuf::new(),
        }
    }

    /// Each stack after those it imports from, whatever order they were found in; a stack
    /// imported from but not selected counts as deployed; a cycle (hand-edited manifests:
    /// the macro refuses one) is an error, not a loop.
    #[test]
    fn stacks_come_in_deploy_order() {
        let names = |v: Vec<StackDir>| v.into_iter().map(|s| s.name).collect::<Vec<_>>();
        let found = vec![dir("Web", &["Service"]), dir("Service", &["Data", "Shared"]), dir("Data", &[])];
        assert_eq!(names(in_deploy_order(found).unwrap()), ["Data", "Service", "Web"]);
        let cycle = vec![dir("A", &["B"]), dir("B", &["A"])];
        let e = in_deploy_order(cycle).unwrap_err().to_string();
        assert!(e.contains("A, B import from each other"), "{e}");
    }

    /// A renamed stack's old directory is not offered: the package's latest build-script run
    /// did not write it.
    #[test]
    fn only_the_stacks_the_latest_build_wrote_are_current() {
        let dir = std::env::temp_dir().join(format!("tap-current-{}", std::process::id()));
        let found = || vec![(dir.join("Orders"), manifest("Orders")), (dir.join("OrdersV2"), manifest("OrdersV2"))];
        // No list (an older tap): everything is current.
        let (current_all, stale_none) = current(found(), &dir);
        assert_eq!((current_all.len(), stale_none.len()), (2, 0));
        let list = tap_core::manifest::EmittedStacks::with(None, "7:/out", "OrdersV2");
        let path = tap_core::manifest::EmittedStacks::path(&dir, "app");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string(&list).unwrap()).unwrap();
        let (now, stale) = current(found(), &dir);
        assert_eq!(now.iter().map(|(_, m)| m.stack.as_str()).collect::<Vec<_>>(), ["OrdersV2"]);
        assert_eq!(stale.iter().map(|(_, m)| m.stack.as_str()).collect::<Vec<_>>(), ["Orders"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
