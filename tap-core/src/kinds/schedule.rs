//! `Schedule`: a function invoked on a schedule, by EventBridge Scheduler.
//!
//! Scheduler rather than an EventBridge rule: its target carries its own retry policy and
//! dead-letter queue (a rule's Lambda target has neither, so an invocation Lambda refuses,
//! throttled or denied, is dropped), it takes a time zone, and it invokes through a role tap
//! writes with `lambda:InvokeFunction` on the one function (a rule needs a resource policy
//! on the function, written by hand). The invocation is asynchronous: what happens when the
//! function fails is the function's `async_*` failure handling (TAP-ASYNC-001); what happens
//! when Scheduler cannot deliver at all is the schedule's `retries` and `dead_letter`.
//!
//! The expression is checked here, at its token: `rate(5 minutes)`, `cron(0 3 * * ? *)`
//! (six fields, one of day-of-month and day-of-week `?`), or `at(2027-01-01T00:00:00)`.

use super::function::Function;
use super::prelude::*;
use super::queue::{self, Queue};

props! {
    pub struct Schedule {
        name: opt Name,
        /// `rate(1 day)`, `cron(0 3 * * ? *)` or `at(2027-01-01T00:00:00)`.
        expression: req String,
        /// The IANA time zone a `cron` or `at` expression is read in; default UTC.
        timezone: opt String,
        target: req Ref<Function>,
        /// Delivery retries when Scheduler cannot invoke the function (Scheduler's default: 185).
        retries: opt Int<0, 185>,
        /// How long Scheduler keeps trying to deliver one invocation; default 86400.
        max_event_age_seconds: opt Int<60, 86400>,
        /// Where an invocation that could not be delivered goes.
        dead_letter: opt Ref<Queue>,
        /// Default true.
        enabled: opt bool,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("arn", AttrExpr::GetAtt("Arn"))],
    naming: Some(Naming { min: 1, max: 64, extra: "-_.", lowercase: false, letter_first: false }),
    cfn_type: Some("AWS::Scheduler::Schedule"),
    ..Spec::new("Schedule", "schedule", "A function invoked on a schedule (EventBridge Scheduler), with its delivery retries and dead-letter queue.", <Schedule as super::decode::Decode>::PROPS)
};

impl Hooks for Schedule {
    fn validate(&self, _i: usize, _stack: &Checked, out: &mut Vec<Finding>) {
        if let Err(why) = check_expression(&self.expression) {
            out.push(Finding::dsl(
                Dsl::WrongType,
                self.expression.loc.clone(),
                format!("\"{}\" is not a schedule expression: {why}", *self.expression),
                "write `rate(5 minutes)`, `cron(0 3 * * ? *)` (minute hour day-of-month month day-of-week year) or `at(2027-01-01T00:00:00)`",
            ));
        }
        if let Some(tz) = &self.timezone {
            let ok = !tz.is_empty() && tz.len() <= 50 && tz.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
            if !ok {
                out.push(Finding::dsl(
                    Dsl::WrongType,
                    tz.loc.clone(),
                    format!("\"{}\" is not a time zone name", **tz),
                    "write an IANA time zone, e.g. `timezone: \"Europe/Berlin\"` (or leave it out for UTC)",
                ));
            }
        }
    }

    fn invokes(&self, i: usize, _stack: &Checked, out: &mut Vec<AsyncInvoke>) {
        out.push(AsyncInvoke { function: self.target.index, by: i, loc: self.target.loc.clone() });
    }

    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(format!("{}Schedule", pascal(&self.target.name)))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let role = format!("{l}Role");
        let function = get_att(&cx.lid_of(&self.target), "Arn");
        // Scheduler invokes with this role, never with a resource policy on the function: the
        // one action on the one function, and the dead-letter queue it sends to.
        let mut statements = vec![json!({ "Sid": "Invoke", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": function })];
        if let Some(q) = &self.dead_letter {
            statements.push(json!({ "Sid": "DeadLetter", "Effect": "Allow", "Action": queue::SEND.actions, "Resource": get_att(&cx.lid_of(q), "Arn") }));
        }
        cx.out.add(
            &role,
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": service_trust("scheduler.amazonaws.com", true),
                "Policies": role_policies(vec![("invoke", statements)]),
            }),
        );
        let mut target = json!({ "Arn": function, "RoleArn": get_att(&role, "Arn") });
        let mut retry = serde_json::Map::new();
        if let Some(n) = &self.retries {
            retry.insert("MaximumRetryAttempts".into(), json!(n.get()));
        }
        if let Some(n) = &self.max_event_age_seconds {
            retry.insert("MaximumEventAgeInSeconds".into(), json!(n.get()));
        }
        if !retry.is_empty() {
            target["RetryPolicy"] = Json::Object(retry);
        }
        if let Some(q) = &self.dead_letter {
            target["DeadLetterConfig"] = json!({ "Arn": get_att(&cx.lid_of(q), "Arn") });
        }
        let mut props = json!({
            "ScheduleExpression": self.expression.as_str(),
            "FlexibleTimeWindow": { "Mode": "OFF" },
            "State": if self.enabled.as_deref() == Some(&false) { "DISABLED" } else { "ENABLED" },
            "Target": target,
        });
        if self.name.is_some() {
            props["Name"] = sub(written(&self.name));
        }
        if let Some(tz) = &self.timezone {
            props["ScheduleExpressionTimezone"] = json!(tz.as_str());
        }
        cx.out.add(&l, "AWS::Scheduler::Schedule", props);
    }
}

/// Why `expression` is not one Scheduler accepts, if it is not.
pub fn check_expression(expression: &str) -> Result<(), String> {
    let inner = |prefix: &str| expression.strip_prefix(prefix).and_then(|r| r.strip_suffix(')'));
    if let Some(rate) = inner("rate(") {
        return check_rate(rate);
    }
    if let Some(cron) = inner("cron(") {
        return check_cron(cron);
    }
    if let Some(at) = inner("at(") {
        return check_at(at);
    }
    Err("it starts with neither `rate(`, `cron(` nor `at(`, or does not end with `)`".to_owned())
}

fn check_rate(rate: &str) -> Result<(), String> {
    let (n, unit) = rate.split_once(' ').ok_or("a rate is a number and a unit: `rate(5 minutes)`")?;
    let n: u32 = n.parse().map_err(|_| format!("`{n}` is not a whole number"))?;
    if n == 0 {
        return Err("a rate of 0 never runs".to_owned());
    }
    let (one, many) = match unit.trim_end_matches('s') {
        "minute" => ("minute", "minutes"),
        "hour" => ("hour", "hours"),
        "day" => ("day", "days"),
        _ => return Err(format!("`{unit}` is not a unit: minutes, hours or days")),
    };
    let expected = if n == 1 { one } else { many };
    if unit != expected {
        return Err(format!("Scheduler reads `{n} {expected}`, not `{n} {unit}`"));
    }
    Ok(())
}

/// The fields of a cron expression: name, least and greatest value, the names a value may
/// have, and the special characters besides `, - * /`.
const CRON_FIELDS: [(&str, u32, u32, &[&str], &str); 6] = [
    ("minute", 0, 59, &[], ""),
    ("hour", 0, 23, &[], ""),
    ("day-of-month", 1, 31, &[], "?LW"),
    ("month", 1, 12, &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], ""),
    ("day-of-week", 1, 7, &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], "?L#"),
    ("year", 1970, 2199, &[], ""),
];

fn check_cron(cron: &str) -> Result<(), String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(format!(
            "a cron has six fields (minute hour day-of-month month day-of-week year), this one has {}",
            fields.len()
        ));
    }
    for (field, (name, min, max, names, special)) in fields.iter().zip(CRON_FIELDS) {
        for part in field.split(',') {
            check_cron_part(part, name, min, max, names, special)?;
        }
    }
    match (fields[2] == "?", fields[4] == "?") {
        (true, false) | (false, true) => Ok(()),
        _ => Err("exactly one of day-of-month and day-of-week must be `?`".to_owned()),
    }
}

fn check_cron_part(part: &str, name: &str, min: u32, max: u32, names: &[&str], special: &str) -> Result<(), String> {
    let value = |v: &str| -> Result<(), String> {
        let n = names.iter().position(|x| x.eq_ignore_ascii_case(v)).map(|p| p as u32 + min);
        match n.or_else(|| v.parse().ok()) {
            Some(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(format!("`{v}` is not a {name} ({min} to {max})")),
        }
    };
    if part == "*" || (part == "?" && special.contains('?')) || (part == "L" && special.contains('L')) {
        return Ok(());
    }
    if let Some((base, step)) = part.split_once('/') {
        step.parse::<u32>().ok().filter(|s| *s > 0).ok_or(format!("`{step}` is not a step in the {name} field"))?;
        return if base == "*" { Ok(()) } else { value(base) };
    }
    if let Some((a, b)) = part.split_once('-') {
        return value(a).and(value(b));
    }
    if special.contains('#') {
        if let Some((day, nth)) = part.split_once('#') {
            nth.parse::<u32>().ok().filter(|n| (1..=5).contains(n)).ok_or(format!("`#{nth}`: the nth weekday is 1 to 5"))?;
            return value(day);
        }
    }
    if special.contains('W') {
        if let Some(day) = part.strip_suffix('W') {
            return value(day);
        }
    }
    if special.contains('L') {
        if let Some(day) = part.strip_suffix('L') {
            return value(day);
        }
    }
    value(part)
}

fn check_at(at: &str) -> Result<(), String> {
    let bytes = at.as_bytes();
    let shape = at.len() == 19
        && at.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    let number = |r: std::ops::Range<usize>| std::str::from_utf8(&bytes[r]).ok().and_then(|s| s.parse::<u32>().ok());
    let fits = shape
        && matches!(number(5..7), Some(1..=12))
        && matches!(number(8..10), Some(1..=31))
        && matches!(number(11..13), Some(0..=23))
        && matches!(number(14..16), Some(0..=59))
        && matches!(number(17..19), Some(0..=59));
    if fits {
        Ok(())
    } else {
        Err(format!("`{at}` is not a date and time as `yyyy-mm-ddThh:mm:ss`"))
    }
}

#[cfg(test)]
mod tests {
    use super::check_expression;

    #[test]
    fn expressions_scheduler_accepts_pass_and_others_say_why() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(12 hours)",
            "cron(0 3 * * ? *)",
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(0 12 L * ? 2027)",
            "cron(0 9 ? * 2#1 *)",
            "at(2027-01-01T00:00:00)",
        ] {
            assert_eq!(check_expression(ok), Ok(()), "{ok}");
        }
        for (bad, says) in [
            ("rate(1 minutes)", "`1 minute`"),
            ("rate(5 minute)", "`5 minutes`"),
            ("rate(0 days)", "never runs"),
            ("rate(5 weeks)", "not a unit"),
            ("cron(0 3 * * *)", "six fields"),
            ("cron(0 3 * * * *)", "exactly one of"),
            ("cron(0 3 ? * ? *)", "exactly one of"),
            ("cron(60 3 * * ? *)", "not a minute"),
            ("cron(0 3 * FOO ? *)", "not a month"),
            ("at(2027-13-01T00:00:00)", "not a date"),
            ("every day", "neither"),
        ] {
            let why = check_expression(bad).unwrap_err();
            assert!(why.contains(says), "{bad}: {why}");
        }
    }
}
