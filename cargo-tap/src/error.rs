//! How a command fails, as cargo does it: an [`anyhow::Error`] with its context chain,
//! and the exit code the failure means. Code that fails says what it was doing with
//! `.context(..)`; the two failures that are not plain errors are typed, so `main` can
//! give them their own codes: [`Usage`] (2) and [`Refused`] (3).

use std::fmt;

/// A command's failure: what to print, and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub error: anyhow::Error,
    pub exit_code: u8,
}

pub type CliResult<T> = Result<T, CliError>;

/// The command was called wrongly (exit 2).
#[derive(Debug)]
pub struct Usage(pub String);

/// Not done on purpose: a risky change or delete without `--yes`, and no terminal to ask
/// on, or a `no` on it (exit 3).
#[derive(Debug)]
pub struct Refused(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}
impl std::error::Error for Refused {}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> CliError {
        let exit_code = if error.downcast_ref::<Usage>().is_some() {
            2
        } else if error.downcast_ref::<Refused>().is_some() {
            3
        } else {
            1
        };
        CliError { error, exit_code }
    }
}

impl CliError {
    /// What the terminal shows: the error, then each cause on its own line, as cargo prints.
    pub fn render(&self) -> String {
        let mut out = format!("error: {}\n", self.error);
        let causes: Vec<String> = self.error.chain().skip(1).map(|c| c.to_string()).collect();
        if !causes.is_empty() {
            out.push_str("\nCaused by:\n");
            for c in causes {
                out.push_str(&format!("  {c}\n"));
            }
        }
        out
    }
}

/// An AWS service's answer to a failed call, from its error metadata (code and message),
/// not from the SDK's debug text.
#[derive(Debug)]
pub struct AwsError {
    pub code: Option<String>,
    pub message: String,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} ({code})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    pub fn of<E>(e: &E) -> AwsError
    where
        E: aws_sdk_cloudformation::error::ProvideErrorMetadata + std::error::Error,
    {
        let message = match e.message() {
            Some(m) => m.to_owned(),
            // No answer from the service (a connection refused, a timeout): the SDK's
            // context chain says what happened.
            None => aws_sdk_cloudformation::error::DisplayErrorContext(e).to_string(),
        };
        AwsError { code: e.code().map(str::to_owned), message }
    }

    /// CloudFormation's answer about a stack that is not there.
    pub fn is_missing_stack(&self) -> bool {
        self.code.as_deref() == Some("ValidationError") && self.message.contains("does not exist")
    }
    /// CloudFormation's word for a change that changes nothing.
    pub fn is_no_change(&self) -> bool {
        self.code.as_deref() == Some("ValidationError") && self.message.contains("No updates are to be performed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn each_failure_has_its_exit_code_and_its_causes() {
        let usage = CliError::from(anyhow::Error::new(Usage("write Name=value".into())));
        let refused = CliError::from(anyhow::Error::new(Refused("not deployed".into())));
        let failed: CliError =
            Err::<(), _>(AwsError { code: Some("ValidationError".into()), message: "bad template".into() })
                .context("create-change-set")
                .unwrap_err()
                .into();
        assert_eq!([usage.exit_code, refused.exit_code, failed.exit_code], [2, 3, 1]);
        assert_eq!(failed.render(), "error: create-change-set\n\nCaused by:\n  bad template (ValidationError)\n");
        assert_eq!(usage.render(), "error: write Name=value\n");
    }
}
