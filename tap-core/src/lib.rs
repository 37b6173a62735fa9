//! tap-core: the resource model, the rule set and CloudFormation synthesis of tap.
//!
//! Stacks are usually declared with `#[tap::stack]`, which checks them at compile time.
//! The same model can be built by hand ([`Stack::new`], [`Resource::new`]); [`synth`] runs
//! the very same checks before it writes a template, so no path yields an unchecked one.

pub mod analysis;
pub mod build;
pub mod bindings;
pub mod finding;
pub mod ids;
pub mod kinds;
pub mod model;
pub mod rules;
#[cfg(feature = "runtime")]
pub mod runtime;
pub mod sql;
pub mod synth;
pub mod validate;

pub use finding::{Finding, Findings};
pub use kinds::Kind;
pub use model::{Loc, Resource, Seg, Stack, Value};

/// Validates a stack (resolving bare references), then runs every rule.
/// Rules only run on a well-formed stack: malformed input is reported on its own.
pub fn check(stack: &mut Stack) -> Findings {
    let malformed = validate::validate(stack);
    if !malformed.is_empty() {
        return Findings(malformed);
    }
    Findings(rules::run(stack))
}

impl Stack {
    /// Checks the stack with every rule and synthesises its template.
    pub fn synth(&self) -> Result<Template, Findings> {
        synth(self)
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

pub fn write_if_changed(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

/// Checks the stack and, when it passes, synthesises its template.
pub fn synth(stack: &Stack) -> Result<Template, Findings> {
    let mut stack = stack.clone();
    let findings = check(&mut stack);
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok(Template(synth::template(&stack)))
}
