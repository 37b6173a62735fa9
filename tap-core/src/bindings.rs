//! What the typed bindings `#[stack]` generates for each function use at run time: each
//! environment variable the stack binds is read once, at cold start, and a missing or
//! malformed one is an error that names it and the binding it comes from.

/// A missing or malformed environment variable, named, with the binding it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingError {
    pub variable: &'static str,
    pub binding: &'static str,
    pub problem: String,
}

impl std::fmt::Display for BindingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "environment variable {} (bound to `{}` by the stack) {}", self.variable, self.binding, self.problem)
    }
}

impl std::error::Error for BindingError {}

/// Reads one bound variable; generated `from_env` code calls this.
pub fn bound<V: std::str::FromStr>(
    lookup: &dyn Fn(&str) -> Option<String>,
    variable: &'static str,
    binding: &'static str,
) -> Result<V, BindingError> {
    let raw = lookup(variable).ok_or_else(|| BindingError { variable, binding, problem: "is not set".into() })?;
    raw.parse().map_err(|_| BindingError { variable, binding, problem: format!("has the malformed value {raw:?}") })
}
