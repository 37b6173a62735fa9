use super::{Acknowledge, Cx, Rule};
use crate::cfn::SUFFIX_MAX;
use crate::finding::Finding;
use crate::kinds::Node;
use crate::kinds::Res;
use crate::model::{Interpolated, Loc};

pub static RULE: Rule = Rule {
    id: "TAP-NAME-001",
    title: "Every physical name carries the environment suffix and fits the service's limits",
    mistake: "seed mistake 1: missing environmentSuffix in resource names",
    seed: "stream_name=\"inventory-updates-stream\"  /  bucket_name=f\"product-inventory-archive\"",
    explanation: "Two environments deployed into one account collide on any fixed physical name \
        (buckets are even global). Every name the stack chooses must contain `{suffix}`, which the \
        template fills from the EnvironmentSuffix parameter, and must still fit the service's length \
        and character limits with the longest suffix the parameter allows.",
    fix: "Write the name as \"<base>-{suffix}\" and keep it within the limit shown.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("two environments would collide on the name, and the second deployment fails or takes the first one's resource"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        match &node.res {
            Res::Raw(_) => out.extend(raw_name(node)),
            Res::Existing(e) => out.extend(
                e.imports().filter(|(x, _)| !Interpolated::parse(x).has_suffix()).map(|(export, loc)| {
                    // An import names another stack's export: one without the suffix reads the
                    // same export from every environment (a test stack wired to production's topic).
                    Finding::new(
                        RULE.id,
                        loc.clone(),
                        format!("{} imports \"{export}\", the same export in every environment", node.label),
                        format!(
                            "import the environment's own export, \"{}-{{suffix}}\", or take it as a `Parameter`",
                            export.trim_end_matches('-')
                        ),
                    )
                }),
            ),
            // An export's name is as global in the account and region as a bucket's.
            Res::Output(o) => out.extend(o.export_name.as_ref().filter(|n| !Interpolated::parse(n).has_suffix()).map(|n| {
                Finding::new(
                    RULE.id,
                    n.loc.clone(),
                    format!("{} exports \"{}\" in every environment: the second deployment fails on it", node.label, n.value),
                    format!("write \"{}-{{suffix}}\"", n.value.trim_end_matches('-')),
                )
            })),
            _ => out.extend(kind_name(i, node)),
        }
    }
    out
}

/// A raw resource's name is its name-like create-only property, when written (its length
/// and characters are its schema's to check, with the longest suffix).
fn raw_name(node: &Node) -> Option<Finding> {
    let written = node.res.physical_name().filter(|w| !Interpolated::parse(&w.0).has_suffix())?;
    Some(Finding::new(
        RULE.id,
        written.loc.clone(),
        format!("{} is named \"{}\" without the environment suffix", node.label, written.0),
        format!("write \"{}-{{suffix}}\"", written.0.trim_end_matches('-')),
    ))
}

/// A kind that names its resources: the name is written, carries `{suffix}` and no other
/// placeholder, and fits the service's limits with the longest suffix.
fn kind_name(i: usize, node: &Node) -> Vec<Finding> {
    let spec = node.spec();
    let Some(naming) = &spec.naming else { return Vec::new() };
    let (noun, label) = (spec.noun, &node.label);
    let Some(written) = node.res.physical_name() else {
        return vec![Finding::new(
            RULE.id,
            Loc::resource(i),
            format!("{label} has no name, so it cannot carry the environment suffix"),
            format!("add `name: \"{}-{{suffix}}\"`", node.binding.as_deref().unwrap_or(noun).replace('_', "-")),
        )];
    };
    let (name, loc) = (written.0.as_str(), written.loc.clone());
    let parsed = Interpolated::parse(name);
    if let Some(bad) = parsed.words().next() {
        return vec![Finding::new(
            RULE.id,
            loc,
            format!("{label} name \"{name}\" uses `{{{bad}}}`; the only placeholder is `{{suffix}}`"),
            "write the rest of the name literally",
        )];
    }
    if !parsed.has_suffix() {
        return vec![Finding::new(
            RULE.id,
            loc,
            format!("{label} is named \"{name}\" without the environment suffix"),
            format!("write \"{}-{{suffix}}\"", name.trim_end_matches('-')),
        )];
    }
    let mut out = Vec::new();
    let longest = parsed.with_suffix(&"x".repeat(SUFFIX_MAX)).len();
    if longest > naming.max || longest < naming.min {
        out.push(Finding::new(
            RULE.id,
            loc.clone(),
            format!("{label} name \"{name}\" is {longest} characters with a {SUFFIX_MAX}-character suffix; a {noun} name takes {} to {}", naming.min, naming.max),
            if parsed.suffixes() > 1 {
                "write `{suffix}` once".to_owned()
            } else {
                format!("shorten the fixed part to at most {} characters", naming.max.saturating_sub(SUFFIX_MAX))
            },
        ));
    }
    let rest = parsed.with_suffix("");
    let bad = rest.chars().find(|c| {
        !(c.is_ascii_digit()
            || (c.is_ascii_lowercase())
            || (c.is_ascii_uppercase() && !naming.lowercase)
            || naming.extra.contains(*c))
    });
    if let Some(c) = bad {
        out.push(Finding::new(
            RULE.id,
            loc,
            format!("{label} name \"{name}\" contains `{c}`, which a {noun} name cannot"),
            format!(
                "use {}letters, digits{}",
                if naming.lowercase { "lowercase " } else { "" },
                if naming.extra.trim().is_empty() { String::new() } else { format!(" and `{}`", naming.extra.trim()) }
            ),
        ));
    } else if naming.letter_first && !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.push(Finding::new(
            RULE.id,
            loc,
            format!("{label} name \"{name}\" must start with a letter"),
            "put a letter first: the suffix belongs at the end",
        ));
    }
    out
}
