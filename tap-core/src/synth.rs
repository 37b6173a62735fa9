//! CloudFormation synthesis: a checked stack becomes a template, deterministically
//! (logical ids from declared names, keys in insertion order, no clocks, no randomness).
//! Each kind writes its own resources; this is only the frame around them.

use serde_json::{json, Map};

use crate::acknowledge::Acknowledged;
use crate::cfn::{Json, Out, SUFFIX_PARAM, SUFFIX_PATTERN};
use crate::kinds::emit::SynthCx;
use crate::kinds::schema::Lifecycle;
use crate::kinds::Checked;

/// Writes the template of a stack that has passed [`crate::check`], for deployments of
/// one lifecycle; each finding `acknowledged` on purpose is recorded in its resource's
/// `Metadata` (see [`record`]).
pub fn template(stack: &Checked, lifecycle: Lifecycle, acknowledged: &[Acknowledged]) -> Json {
    let mut cx = SynthCx { stack, lifecycle, out: Out::default() };
    cx.out.parameter(SUFFIX_PARAM, suffix_parameter(stack, lifecycle));
    for (i, node) in stack.nodes.iter().enumerate() {
        // Only the nodes' own synthesis runs here; what a lifecycle changes, each kind
        // derives from `cx.keeps(i)`.
        node.res.hooks().synth(&mut cx, i);
    }
    record(stack, acknowledged, &mut cx.out.resources);
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    let description = match (lifecycle, stack.deployment.lifecycles.len()) {
        (_, 1) => format!("{} (synthesised by tap)", stack.name),
        (l, _) => format!("{} ({} deployments; synthesised by tap)", stack.name, l.dir()),
    };
    t.insert("Description".into(), json!(description));
    t.insert("Parameters".into(), Json::Object(cx.out.parameters));
    t.insert("Resources".into(), Json::Object(cx.out.resources));
    if !cx.out.outputs.is_empty() {
        t.insert("Outputs".into(), Json::Object(cx.out.outputs));
    }
    Json::Object(t)
}

/// The metadata key acknowledgements are recorded under, in a resource's `Metadata`.
pub const ACKNOWLEDGED: &str = "tap:acknowledged";

/// Records each acknowledgement where it is deployed: the resource's `Metadata` gets
/// `"tap:acknowledged": [{ "rule", "at", "reason" }]`, one entry per acknowledged finding
/// (the same finding twice, once), so the template a reviewer reads and the stack
/// CloudFormation keeps carry the exception and its reason, and `cargo tap diff` sees one
/// arrive or go. Checkov's checks for the same finding (the rule's `checkov`) are
/// skipped there with the same reason.
fn record(stack: &Checked, acknowledged: &[Acknowledged], resources: &mut Map<String, Json>) {
    for a in acknowledged {
        let Some(i) = a.finding.loc.resource else { continue };
        let Some(resource @ Json::Object(_)) = resources.get_mut(stack.lid(i)) else { continue };
        // Metadata is an object where tap writes it; indexing anything else would panic.
        if !matches!(resource.get("Metadata"), None | Some(Json::Object(_))) {
            continue;
        }
        let metadata = &mut resource["Metadata"];
        push_once(&mut metadata[ACKNOWLEDGED], json!({ "rule": a.finding.id, "at": a.subject, "reason": a.reason }));
        // The scanner's own name for the same finding, skipped with the same reason.
        for check in crate::rules::same_checks(a.finding.id, &a.subject) {
            push_once(&mut metadata["checkov"]["skip"], json!({ "id": check, "comment": a.reason }));
        }
    }
}

/// Appends `entry` to the list at `slot` (made one when it is not there), unless it holds it.
fn push_once(slot: &mut Json, entry: Json) {
    if !slot.is_array() {
        *slot = json!([]);
    }
    if let Some(list) = slot.as_array_mut().filter(|l| !l.contains(&entry)) {
        list.push(entry);
    }
}

/// One acknowledgement as a template records it (see [`record`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Recorded {
    pub resource: String,
    pub rule: String,
    pub at: String,
    pub reason: String,
}

/// Every acknowledgement `template` records, in resource order: what the delete plan and
/// `cargo tap diff` read back (from a deployed template too).
pub fn recorded(template: &Json) -> Vec<Recorded> {
    let mut out = Vec::new();
    for (lid, r) in template["Resources"].as_object().into_iter().flatten() {
        for a in r["Metadata"][ACKNOWLEDGED].as_array().into_iter().flatten() {
            let field = |k: &str| a[k].as_str().unwrap_or_default().to_owned();
            out.push(Recorded { resource: lid.clone(), rule: field("rule"), at: field("at"), reason: field("reason") });
        }
    }
    out
}

/// The `EnvironmentSuffix` parameter: the template itself refuses a suffix of the other
/// lifecycle, so a production environment cannot be deployed (and later deleted) with the
/// ephemeral template by a wrong parameter, nor a throwaway one with the durable template.
fn suffix_parameter(stack: &Checked, lifecycle: Lifecycle) -> Json {
    let durable = &stack.deployment.durable_suffixes;
    match lifecycle {
        Lifecycle::Ephemeral if durable.is_empty() => json!({
            "Type": "String",
            "Description": "Environment suffix carried by every physical name (dev, pr123, ...)",
            "AllowedPattern": SUFFIX_PATTERN,
            "ConstraintDescription": "1 to 12 lowercase letters or digits",
        }),
        Lifecycle::Ephemeral => json!({
            "Type": "String",
            "Description": format!("Environment suffix of an ephemeral deployment (dev, pr123, ...); not one of the durable suffixes {}", durable.join(", ")),
            "AllowedPattern": format!("^(?!({})$)[a-z0-9]{{1,12}}$", durable.join("|")),
            "ConstraintDescription": format!("1 to 12 lowercase letters or digits, and not {}: those are durable environments, deployed with the durable template", durable.join(" or ")),
        }),
        Lifecycle::Durable => json!({
            "Type": "String",
            "Description": "Environment suffix of a durable deployment",
            "AllowedValues": durable,
            "ConstraintDescription": format!("one of the durable suffixes {}: other environments are ephemeral, deployed with the ephemeral template", durable.join(", ")),
        }),
    }
}
