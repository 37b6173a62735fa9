//! Acknowledgements: the stage after the rules. Each `#[tap::expect(rule, at = .., reason = ..)]`
//! of a resource takes the findings it names (that rule, on that resource, at that
//! property) off the error list and into the record of intended exceptions, which the
//! template's metadata, the reports and SARIF carry with their reasons.
//!
//! An acknowledgement is itself judged, like Rust's `#[tap::expect]`: one that names a rule that
//! does not exist (TAP-ACK-001), a rule that has no exceptions on this stack (TAP-ACK-002),
//! no finding at all (TAP-ACK-003: its cause is gone, so it goes too), or that gives no
//! reason of its own (TAP-ACK-004) is an error at its token. Whether a rule can be
//! acknowledged is the rule's to say ([`crate::rules::Acknowledge`]).

use crate::finding::{did_you_mean, hint, AckError, Finding};
use crate::kinds::schema::Lifecycle;
use crate::model::{Expect, Loc};
use crate::rules::{self, Rule};
use crate::validate::Expectations;

/// A finding a resource has on purpose, with the reason written for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledged {
    pub finding: Finding,
    /// What within the resource the finding is about (see [`Stack::subject`]).
    pub subject: String,
    pub reason: String,
    /// The acknowledgement's rule token.
    pub expect: Loc,
}

/// The findings left to report (with every wrong acknowledgement added) and those
/// acknowledged, from the acknowledgements validation decoded. `judged(i)`: whether the
/// rules saw resource `i` whole this pass; an acknowledgement on a resource they did not is
/// neither used nor called unneeded.
pub fn apply(
    expectations: &Expectations,
    lifecycles: &[Lifecycle],
    judged: impl Fn(usize) -> bool,
    mut findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Acknowledged>) {
    let mut errors = Vec::new();
    let mut acknowledged = Vec::new();
    for (i, resource) in expectations.resources.iter().enumerate() {
        for (n, expect) in resource.expects.iter().enumerate() {
            let Some(rule) = rule_of(i, n, expect, lifecycles, &mut errors) else { continue };
            if let Some(problem) = reason_problem(&expect.reason, rule) {
                errors.push(Finding::new(
                    AckError::NoReason.id(),
                    Loc::expect(i, n, "reason"),
                    problem,
                    AckError::NoReason.fix(),
                ));
                continue;
            }
            if !judged(i) {
                continue;
            }
            let subject = |f: &Finding| expectations.subject(&f.loc);
            let ours = |f: &Finding| f.id == rule.id && f.loc.resource == Some(i);
            let matches = |f: &Finding| ours(f) && expect.at.as_deref().is_none_or(|at| within(&subject(f), at));
            let (taken, rest): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(matches);
            findings = rest;
            if taken.is_empty() {
                let elsewhere: Vec<String> =
                    findings.iter().filter(|f| ours(f)).map(|f| format!("`{}`", subject(f))).collect();
                errors.push(unfulfilled(&resource.name, i, n, expect, &elsewhere));
            }
            acknowledged.extend(taken.into_iter().map(|finding| Acknowledged {
                subject: subject(&finding),
                finding,
                reason: expect.reason.trim().to_owned(),
                expect: Loc::expect(i, n, "rule"),
            }));
        }
    }
    findings.extend(errors);
    (findings, acknowledged)
}

/// The rule an acknowledgement names, when it exists and may be acknowledged on this stack.
fn rule_of(
    i: usize,
    n: usize,
    expect: &Expect,
    lifecycles: &[Lifecycle],
    errors: &mut Vec<Finding>,
) -> Option<&'static Rule> {
    let at = Loc::expect(i, n, "rule");
    let Some(rule) = rules::by_id(&expect.rule) else {
        let finding = if expect.rule.starts_with("TAP-DSL-") || expect.rule.starts_with("TAP-ACK-") {
            let kind = AckError::NotAcknowledgeable;
            let message = format!(
                "`{}` is malformed input, not a finding about the stack: it cannot be acknowledged",
                expect.rule
            );
            Finding::new(kind.id(), at, message, kind.fix())
        } else {
            let kind = AckError::UnknownRule;
            let closest = did_you_mean(&expect.rule, rules::ALL.iter().map(|r| r.id));
            let fix = closest.map_or_else(|| kind.fix().to_owned(), |id| format!("write `\"{id}\"`"));
            Finding::new(kind.id(), at, format!("no rule is called `{}`{}", expect.rule, hint(closest)), fix)
        };
        errors.push(finding);
        return None;
    };
    if !rule.acknowledge.allows(lifecycles) {
        let scope = match rule.acknowledge {
            rules::Acknowledge::Never(_) => "cannot be acknowledged".to_owned(),
            rules::Acknowledge::On(on, _) => format!(
                "can be acknowledged only on a stack whose deployments are all {}",
                on.iter().map(|l| l.dir()).collect::<Vec<_>>().join(" or ")
            ),
        };
        let kind = AckError::NotAcknowledgeable;
        errors.push(Finding::new(
            kind.id(),
            at,
            format!("{} {scope}: {}", rule.id, rule.acknowledge.why()),
            kind.fix(),
        ));
        return None;
    }
    Some(rule)
}

/// Why a reason is not one, if it is not: too short to tell a reviewer anything, the rule's
/// own title said back, or a placeholder.
fn reason_problem(reason: &str, rule: &Rule) -> Option<String> {
    let r = reason.trim();
    let words = r.split_whitespace().count();
    if r.chars().count() < 20 || words < 4 {
        return Some(format!("the reason `{r}` is too short to tell a reviewer why the finding is intended"));
    }
    if r.trim_end_matches('.').eq_ignore_ascii_case(rule.title) {
        return Some("the reason is the rule's own title: say why this resource breaks it".to_owned());
    }
    let placeholder = r
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| ["todo", "fixme", "tbd", "xxx"].contains(&w.to_ascii_lowercase().as_str()));
    placeholder.map(|w| format!("the reason holds a placeholder (`{w}`), not the reason"))
}

/// `at` names `subject` or something that contains it: `PolicyDocument` names
/// `PolicyDocument.Statement[0].Principal`.
fn within(subject: &str, at: &str) -> bool {
    subject.strip_prefix(at).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

fn unfulfilled(name: &str, i: usize, n: usize, expect: &Expect, elsewhere: &[String]) -> Finding {
    let kind = AckError::Unfulfilled;
    match &expect.at {
        Some(at) if !elsewhere.is_empty() => Finding::new(
            kind.id(),
            Loc::expect(i, n, "at"),
            format!(
                "{name} has no finding of {} at `{at}`; its findings of that rule are at {}",
                expect.rule,
                elsewhere.join(", ")
            ),
            kind.fix(),
        ),
        _ => Finding::new(
            kind.id(),
            Loc::expect(i, n, "rule"),
            format!("{name} has no finding of {} to acknowledge: the acknowledgement is no longer needed", expect.rule),
            kind.fix(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn at_names_a_property_and_everything_under_it() {
        assert!(within("PolicyDocument.Statement[0].Principal", "PolicyDocument"));
        assert!(within("readers[a.write]", "readers"));
        assert!(within("open_keys", "open_keys"));
        assert!(!within("open_keys_acl", "open_keys"));
        assert!(!within("readers", "readers[a.write]"));
    }
}
