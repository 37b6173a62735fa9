use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::value::{EnvValue, Grant, RawResource};

pub static RULE: Rule = Rule {
    id: "TAP-CODE-002",
    title: "Connection details and credentials are references, never literals",
    mistake: "seed mistake 12: hardcoded connection details (host='localhost', password='password123')",
    seed: "psycopg2.connect(host='localhost', ..., password='password123')",
    explanation: "A literal host is wrong in every environment but one, a literal ARN pins one \
        account and region, and a literal password is a leaked credential. Environment values that \
        locate or unlock something are references to resources of the stack (`database.endpoint`, \
        `db_secret.arn`); credentials travel only through a secret.",
    fix: "Bind a reference: `DB_ENDPOINT: database.endpoint`, `DB_SECRET_ARN: db_secret.arn`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a literal credential is in every copy of the template and its history, and a literal address breaks in the next environment"),
    checkov: &[],
    check,
};

const SECRET_WORDS: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "ACCESS_KEY", "CREDENTIAL", "PRIVATE_KEY"];

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in cx.stack.of::<Function>() {
        for var in f.env() {
            let EnvValue::Literal(text) = &var.value else { continue };
            let Some(why) = suspicious(&var.name, text) else { continue };
            out.push(Finding::new(
                RULE.id,
                var.loc.clone(),
                format!("{}: env {} = \"{text}\" {why}", cx.stack.node(i).label, var.name),
                if SECRET_WORDS.iter().any(|w| var.name.contains(w)) {
                    "store it in a `Secret` and bind its ARN: `DB_SECRET_ARN: db_secret.arn`".to_owned()
                } else {
                    "bind the resource's attribute instead, e.g. `database.endpoint`, `archive.name`, `queue.url`"
                        .to_owned()
                },
            ));
        }
    }
    // A literal ARN in a grant (a function's or a role's) is the same mistake: pinned to
    // one account and region, and outside every check of the resource it names.
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        for grant in node.res.hooks().grants() {
            let Grant::Raw { resources, .. } = &grant.value else { continue };
            for r in resources {
                let RawResource::Literal(text) = &r.value else { continue };
                if text == "*" || text.ends_with(":*") {
                    continue; // TAP-IAM-002's: a wildcard, not a location
                }
                out.push(Finding::new(
                    RULE.id,
                    r.loc.clone(),
                    format!("{}: a grant names the literal ARN \"{text}\", pinned to one account and region", cx.stack.node(i).label),
                    "grant on a resource of the stack: `Raw([..], [binding.arn])`, or its typed level such as `queue.send`",
                ));
            }
        }
    }
    out
}
/// Why a literal environment value must be a reference, if it must.
pub fn suspicious(var: &str, text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    if SECRET_WORDS.iter().any(|w| var.contains(w)) {
        return Some("is a credential written in the clear");
    }
    if lower.starts_with("arn:") {
        return Some("is a literal ARN, pinned to one account and region");
    }
    if lower == "localhost" || lower.contains("://") || lower.contains(".amazonaws.com") || is_ipv4(&lower) {
        return Some("is a literal host");
    }
    if let Some((host, port)) = lower.rsplit_once(':') {
        if !host.is_empty() && port.parse::<u16>().is_ok() && !host.contains(' ') {
            return Some("is a literal host and port");
        }
    }
    None
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<_> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}
