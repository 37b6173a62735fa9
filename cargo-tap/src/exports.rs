//! The export bookkeeping of an app's deploy: CloudFormation refuses to remove an export
//! another stack still imports, so an export the new template drops is kept for one more
//! deployment while a deployed consumer imports it.

use std::collections::BTreeMap;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value as Json;

use crate::cloudformation::{aws, deployed, Clients};

/// An export the new template drops while a deployed stack of the app still imports it,
/// kept for this deployment.
#[derive(Debug, Serialize, PartialEq)]
pub struct KeptExport {
    pub output: String,
    pub export: String,
    /// The deployed stacks that still import it.
    pub imported_by: Vec<String>,
}

/// Keeps in `template` each export the deployed stack `name` has, the template drops, and
/// one of `consumers` (the app's stacks that import from it, by deployed name) still
/// imports: CloudFormation refuses to remove an export in use, so removing it in the same
/// deployment as its last import would fail the producer, which deploys first. The export
/// is kept with the value it has (its resource may be gone from the template), the
/// consumers deploy without it, and the next deployment drops it: one deployment later.
pub async fn keep_exports_in_use(
    c: &Clients,
    name: &str,
    template: &mut Json,
    consumers: &[String],
    parameters: &BTreeMap<String, String>,
) -> anyhow::Result<Vec<KeptExport>> {
    let Some((_, before)) = deployed(c, name).await? else { return Ok(Vec::new()) };
    let dropped: Vec<(String, Json)> = before["Outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, o)| o.get("Export").is_some() && template["Outputs"].get(k.as_str()).is_none())
        .map(|(k, o)| (k.clone(), o["Export"]["Name"].clone()))
        .collect();
    if dropped.is_empty() {
        return Ok(Vec::new());
    }
    // What each deployed consumer imports, read once.
    let mut importers: Vec<(String, Vec<Json>)> = Vec::new();
    for consumer in consumers {
        if let Some((_, t)) = deployed(c, consumer).await? {
            let names = objects(&t).into_iter().filter_map(|m| m.get("Fn::ImportValue").cloned()).collect();
            importers.push((consumer.clone(), names));
        }
    }
    let r = c.cfn.describe_stacks().stack_name(name).send().await.map_err(aws("describe-stacks"))?;
    let live = r.stacks().first().map(|s| s.outputs().to_vec()).unwrap_or_default();
    let mut kept = Vec::new();
    for (key, written) in dropped {
        let imported_by: Vec<String> =
            importers.iter().filter(|(_, names)| names.contains(&written)).map(|(n, _)| n.clone()).collect();
        if imported_by.is_empty() {
            continue;
        }
        let old = &before["Outputs"][&key];
        let live = live.iter().find(|o| o.output_key() == Some(key.as_str()));
        // The output as it was written, while what it reads (resources, parameters) is still in
        // the template; else the value it has now (its resource is leaving).
        let declared = |r: &String| template["Resources"].get(r).or(template["Parameters"].get(r)).is_some();
        let mut output = if refs(&old["Value"]).iter().all(declared) {
            old.clone()
        } else if let Some((value, export)) = live.and_then(|o| Some((o.output_value()?, o.export_name()?))) {
            serde_json::json!({ "Value": value, "Export": { "Name": export } })
        } else {
            continue;
        };
        let export =
            live.and_then(|o| o.export_name()).map(str::to_owned).unwrap_or_else(|| substituted(&written, parameters));
        output["Description"] =
            Json::String(format!("kept for one deployment: {} still imports it", imported_by.join(", ")));
        let outputs = template.as_object_mut().context("a template is a JSON object")?.entry("Outputs");
        outputs.or_insert_with(|| serde_json::json!({}))[&key] = output;
        kept.push(KeptExport { output: key, export, imported_by });
    }
    Ok(kept)
}

/// What a value reads (`Ref`, `Fn::GetAtt`): resources and parameters, pseudo parameters aside.
fn refs(value: &Json) -> Vec<String> {
    let read = |m: &serde_json::Map<String, Json>| {
        let get_att = m.get("Fn::GetAtt").and_then(|a| a.get(0));
        [m.get("Ref"), get_att].into_iter().flatten().filter_map(Json::as_str).map(str::to_owned).collect::<Vec<_>>()
    };
    objects(value).into_iter().flat_map(read).filter(|r| !r.starts_with("AWS::")).collect()
}

/// An export's name as written (`{"Fn::Sub": "Data-${EnvironmentSuffix}-OrdersArn"}`), with
/// the deployment's parameters in it.
fn substituted(written: &Json, parameters: &BTreeMap<String, String>) -> String {
    let mut text = written.get("Fn::Sub").unwrap_or(written).as_str().unwrap_or_default().to_owned();
    for (k, v) in parameters {
        text = text.replace(&format!("${{{k}}}"), v);
    }
    text
}

/// Every JSON object in `value`, at any depth.
fn objects(value: &Json) -> Vec<&serde_json::Map<String, Json>> {
    let mut out = Vec::new();
    let mut todo = vec![value];
    while let Some(v) = todo.pop() {
        match v {
            Json::Object(m) => {
                out.push(m);
                todo.extend(m.values());
            }
            Json::Array(a) => todo.extend(a.iter()),
            _ => {}
        }
    }
    out
}
