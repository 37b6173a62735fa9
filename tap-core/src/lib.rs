//! tap-core: the resource model, the rule set and CloudFormation synthesis of tap.
//!
//! Stacks are usually declared with `#[tap::stack]`, which checks them at compile time.
//! The same model can be built by hand ([`Stack::new`], [`Resource::new`]); [`synth`] runs
//! the very same checks before it writes a template, so no path yields an unchecked one.
//!
//! The modules form layers; each uses only those above it in this list (a test holds it):
//!
//! - [`model`]: the property bag, the stack as written;
//! - [`finding`]: what a check reports, the DSL error registry and the one formatter;
//! - [`cfn`]: CloudFormation JSON helpers and the template builder;
//! - [`sql`]: the schema-file checker;
//! - [`aws_data`]: what AWS says of its services (registry schemas, what raw types deploy,
//!   versions, IAM actions), as data;
//! - [`kinds`]: the vocabulary kinds are described in, the typed checked view, and every
//!   kind in its own file;
//! - [`link`]: the stacks of one app joined (`data::orders` becomes an export and an import),
//!   in deploy order;
//! - [`validate`]: property bag -> checked view, or every malformed-input finding;
//! - [`analysis`]: what each function uses;
//! - [`rules`]: one file per rule, over the checked view;
//! - [`acknowledge`]: the findings a resource has on purpose (`#[tap::expect(..)]`), taken off
//!   the error list with their reasons, and the acknowledgements that are wrong;
//! - [`lock`]: the lock of kept identities, `<Stack>.tap.lock`, against the stack;
//! - [`scan`]: the checkov checks tap accepts, each with its reason;
//! - [`sarif`]: every finding as SARIF 2.1.0, the macro's contract with code hosts and
//!   `cargo tap findings`;
//! - [`generate`]: what `#[stack]` generates for each function (`Env`, `Handles`);
//! - [`synth`]: checked view -> template, per lifecycle;
//! - [`plan`]: what deleting a deployed template does to each resource;
//! - [`manifest`]: `stack.json`, the build's contract with `cargo tap`;
//! - [`build`]: what a stack crate's build script calls.
//!
//! What Lambda code calls (handler contracts, handles, the database) is tap-runtime's: this
//! crate is the checker only.

pub mod model;
pub mod finding;
pub mod cfn;
pub mod sql;
pub mod aws_data;
pub mod kinds;
pub mod link;
pub mod validate;
pub mod analysis;
pub mod rules;
pub mod acknowledge;
pub mod lock;
pub mod synth;
pub mod report;

pub use report::{build, generate, graph, manifest, plan, sarif, scan};

pub use acknowledge::Acknowledged;
pub use finding::{AckError, Dsl, Finding, Findings, LinkError, LockError};
pub use kinds::schema::Lifecycle;
pub use kinds::{Checked, Kind};
pub use model::{Loc, Resource, Seg, Stack, Value};

/// Validates a stack and runs every rule over what decoded, in one pass: a malformed value
/// is reported and the rest of the stack is still judged (see [`validate::View`]), so one
/// `cargo check` shows every finding it can. The checked view comes back whenever every
/// resource decoded, even if a rule or a constraint fails, so the macro can still generate
/// the typed bindings the user's code reads. A template is written only when there is no
/// finding at all.
pub fn check(stack: &Stack) -> (Option<Checked>, Findings) {
    let outcome = check_all(stack);
    (outcome.checked, outcome.findings)
}

/// Everything one check of a stack says: [`check`]'s answer and the findings acknowledged
/// on purpose (`#[tap::expect(..)]`), with their reasons.
pub struct Outcome {
    pub checked: Option<Checked>,
    pub findings: Findings,
    pub acknowledged: Vec<Acknowledged>,
}

/// [`check`], keeping the acknowledged findings (for the template's metadata and SARIF).
pub fn check_all(stack: &Stack) -> Outcome {
    let validate::Validated { mut findings, view } = validate::validate(stack);
    let Some(view) = view else {
        return Outcome { checked: None, findings: Findings(findings), acknowledged: Vec::new() };
    };
    let judged: Vec<Finding> = rules::run(&view.checked).into_iter().filter_map(|f| view.admit(f)).collect();
    let (judged, acknowledged) =
        acknowledge::apply(&view.expectations, &view.checked.deployment.lifecycles, |i| view.judged(i), judged);
    findings.extend(judged);
    Outcome { checked: view.complete.then_some(view.checked), findings: Findings(findings), acknowledged }
}

impl Stack {
    /// Checks the stack with every rule and synthesises its (first lifecycle's) template.
    pub fn synth(&self) -> Result<Template, Findings> {
        synth(self)
    }
    /// Every lifecycle's template and delete plan.
    pub fn synth_all(&self) -> Result<Vec<(Lifecycle, Template, plan::DeletePlan)>, Findings> {
        synth_all(self)
    }
}

/// A synthesised CloudFormation template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template(pub serde_json::Value);

impl Template {
    /// The template as written to disk: pretty JSON, stable key order, trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.0).expect("a JSON value always serialises");
        s.push('\n');
        s
    }
    /// Writes the template, creating the directory; leaves the file untouched when the
    /// bytes are the same, so tools watching it see no change.
    pub fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        write_if_changed(path, self.to_json().as_bytes())
    }
}

/// Writes `bytes` to `path` unless it holds them already, through a file of its own beside
/// it and a rename: builds running side by side (a build script and the library expanding
/// the same stack) never leave, or read, half a file.
pub fn write_if_changed(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Checks the stack and, when it passes, synthesises the template of its first lifecycle
/// (the only one, for a stack that declares none: ephemeral). See [`synth_all`].
pub fn synth(stack: &Stack) -> Result<Template, Findings> {
    synth_all(stack).map(|mut all| all.swap_remove(0).1)
}

/// Checks the stack and, when it passes, synthesises one template per lifecycle it
/// supports, in the order declared, each with its delete plan.
pub fn synth_all(stack: &Stack) -> Result<Synthesised, Findings> {
    synth_checked(stack).map(|s| s.all)
}

/// Each lifecycle a stack supports, with its template and delete plan.
pub type Synthesised = Vec<(Lifecycle, Template, plan::DeletePlan)>;

/// What [`synth_checked`] returns: the checked stack, its acknowledged findings and each
/// lifecycle's template and delete plan.
pub struct Synthesis {
    pub checked: Checked,
    pub acknowledged: Vec<Acknowledged>,
    pub all: Synthesised,
}

/// [`synth_all`], with the checked stack it synthesised from and the findings acknowledged
/// in it (for what else is written beside the templates: the diagram, `stack.json`).
pub fn synth_checked(stack: &Stack) -> Result<Synthesis, Findings> {
    match check_all(stack) {
        Outcome { checked: Some(checked), findings, acknowledged } if findings.is_empty() => {
            let all = checked
                .deployment
                .lifecycles
                .iter()
                .map(|&l| {
                    let template = Template(synth::template(&checked, l, &acknowledged));
                    let plan = plan::delete_plan(&checked, l, &template.0);
                    (l, template, plan)
                })
                .collect();
            Ok(Synthesis { checked, acknowledged, all })
        }
        Outcome { findings, .. } => Err(findings),
    }
}
