//! `stack.json`: the contract between the build, which writes it beside the templates
//! (`build::emit`), and `cargo tap`, which packages and deploys the stack from it
//! without reading the stack's source. One type on both sides: a field cannot be written
//! under one name and read under another, and a value that is not one of its words is an
//! error when it is read, never a silent default.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::kinds::function::{code_key_param, Architecture, Function, Runtime};
use crate::kinds::schema::Lifecycle;
use crate::kinds::value::Code;
use crate::kinds::Checked;

/// What `cargo tap` needs to package and deploy one stack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackManifest {
    /// The stack's name (`#[stack(name = ..)]`, or the function's name).
    pub stack: String,
    /// The package that declares it (`-p` of `cargo tap`).
    pub package: String,
    /// The directory of that package's `Cargo.toml`: `Bin` functions are built from it.
    pub manifest_dir: PathBuf,
    /// In the order declared; the first is what commands use by default.
    pub lifecycles: Vec<Lifecycle>,
    pub functions: Vec<FunctionAsset>,
    /// The stacks of the same app it imports from (`#[tap::app]`): deployed before it,
    /// deleted after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// What packaging one function needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionAsset {
    /// The function's binding, which names its zip; `None` for an unbound function.
    pub binding: Option<String>,
    pub logical_id: String,
    /// The template parameter that receives the asset's S3 key.
    pub code_parameter: String,
    pub code: CodeSource,
    /// CloudFormation's name: `provided.al2023`.
    pub runtime: Runtime,
    /// Lambda's name: `x86_64`, `arm64`.
    pub architecture: Architecture,
}

/// Where a function's code comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSource {
    /// A binary of the workspace, built by cargo (or cargo-lambda for another architecture).
    Bin(String),
    /// A directory holding a `bootstrap`, zipped as it is (an absolute path).
    Dir(PathBuf),
    /// Source written into the stack: never packaged (TAP-CODE-001 refuses it).
    Inline,
}

impl StackManifest {
    /// The manifest of a checked stack; `package` and `manifest_dir` are the crate's that
    /// declares it (cargo's `CARGO_PKG_NAME` and `CARGO_MANIFEST_DIR` in a build script).
    pub fn of(stack: &Checked, package: String, manifest_dir: PathBuf) -> StackManifest {
        StackManifest {
            stack: stack.name.clone(),
            package,
            manifest_dir,
            lifecycles: stack.deployment.lifecycles.clone(),
            functions: stack.of::<Function>().map(|(i, f)| FunctionAsset::of(stack, i, f)).collect(),
            depends_on: stack.depends_on.clone(),
        }
    }

    /// The file's text: pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest always serialises") + "\n"
    }

    /// Reads `stack.json`; a field missing, unknown or of the wrong word is an error that
    /// names it.
    pub fn from_json(text: &str) -> Result<StackManifest, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl FunctionAsset {
    fn of(stack: &Checked, i: usize, f: &Function) -> FunctionAsset {
        let code = match &*f.code {
            Code::Bin(b) => CodeSource::Bin(b.clone()),
            Code::Dir(d) => CodeSource::Dir(stack.root.join(d)),
            Code::Inline(_) => CodeSource::Inline,
        };
        FunctionAsset {
            binding: stack.node(i).binding.clone(),
            logical_id: stack.lid(i).to_owned(),
            code_parameter: code_key_param(stack.lid(i)),
            code,
            runtime: *f.runtime,
            architecture: f.architecture(),
        }
    }

    /// The name its zip and progress messages use.
    pub fn name(&self) -> &str {
        self.binding.as_deref().unwrap_or(&self.logical_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_build_script_run_starts_a_new_list_of_stacks() {
        let first = EmittedStacks::with(None, "1:/out", "Orders");
        let both = EmittedStacks::with(Some(first), "1:/out", "Billing");
        assert_eq!(both.stacks, ["Orders", "Billing"]);
        // The stack renamed and the crate rebuilt: only the new name is listed.
        let renamed = EmittedStacks::with(Some(both), "2:/out", "OrdersV2");
        assert_eq!(renamed.stacks, ["OrdersV2"]);
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_a_wrong_word_is_an_error_that_names_it() {
        let m = StackManifest {
            stack: "Catalog".into(),
            package: "app".into(),
            manifest_dir: "/w/app".into(),
            lifecycles: vec![Lifecycle::Durable, Lifecycle::Ephemeral],
            functions: vec![FunctionAsset {
                binding: Some("processor".into()),
                logical_id: "Processor".into(),
                code_parameter: "ProcessorCodeKey".into(),
                code: CodeSource::Bin("processor".into()),
                runtime: Runtime::ProvidedAl2023,
                architecture: Architecture::Arm64,
            }],
            depends_on: vec!["Data".into()],
        };
        let text = m.to_json();
        assert!(text.contains("\"arm64\"") && text.contains("\"provided.al2023\"") && text.contains("\"durable\""));
        assert_eq!(StackManifest::from_json(&text).unwrap(), m);
        let wrong = text.replace("\"arm64\"", "\"sparc\"");
        let e = StackManifest::from_json(&wrong).unwrap_err().to_string();
        assert!(e.contains("`sparc` is not one of x86_64, arm64"), "{e}");
        let missing = text.replace("\"code_parameter\"", "\"parameter\"");
        assert!(StackManifest::from_json(&missing).is_err());
    }
}

/// `target/tap/.emitted/<package>.json`: the stacks the package's latest build-script run
/// wrote. A stack renamed in the source leaves its old `target/tap/<Stack>/` behind;
/// `cargo tap` offers only the stacks listed here, and names the others as stale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmittedStacks {
    /// Which run wrote it: the build script's process id and `OUT_DIR`.
    pub run: String,
    pub stacks: Vec<String>,
}

impl EmittedStacks {
    /// Where the list for `package` lives under `<target>/tap`.
    pub fn path(tap_dir: &std::path::Path, package: &str) -> PathBuf {
        tap_dir.join(".emitted").join(format!("{package}.json"))
    }

    /// The list after `stack` is emitted by run `run`: a new run starts a new list.
    pub fn with(previous: Option<EmittedStacks>, run: &str, stack: &str) -> EmittedStacks {
        let mut list =
            previous.filter(|p| p.run == run).unwrap_or(EmittedStacks { run: run.to_owned(), stacks: Vec::new() });
        if !list.stacks.iter().any(|s| s == stack) {
            list.stacks.push(stack.to_owned());
        }
        list
    }
}
