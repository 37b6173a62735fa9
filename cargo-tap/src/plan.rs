//! `cargo tap plan-delete`: what deleting a stack removes, retains or snapshots, read off
//! the template's `DeletionPolicy`s (the deployed template for a deployed stack, with each
//! resource's physical id), so the plan and what CloudFormation does cannot disagree.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};
use tap_core::kinds::registry;
use tap_core::plan::Action;

#[derive(Debug, PartialEq)]
pub struct Row {
    pub logical_id: String,
    pub resource_type: String,
    /// `delete`, `retain` or `snapshot`.
    pub action: String,
    pub physical_id: Option<String>,
    pub holds_data: bool,
}

/// The plan for `template`; `physical` maps logical ids to deployed physical ids.
pub fn plan(template: &Json, physical: &BTreeMap<String, String>) -> Vec<Row> {
    let mut rows: Vec<Row> = template["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(lid, r)| {
            let ty = r["Type"].as_str().unwrap_or_default().to_owned();
            let action = Action::of(r).word();
            Row {
                logical_id: lid.clone(),
                holds_data: registry::schema(&ty).is_some_and(|s| s.stateful),
                resource_type: ty,
                action: action.to_owned(),
                physical_id: physical.get(lid).cloned(),
            }
        })
        .collect();
    // What survives first: that is what the reader must not be surprised by.
    rows.sort_by_key(|r| (r.action == "delete", !r.holds_data, r.logical_id.clone()));
    rows
}

pub fn to_json(stack: &str, rows: &[Row]) -> Json {
    let count = |a: &str| rows.iter().filter(|r| r.action == a).count();
    json!({
        "stack": stack,
        "summary": { "delete": count("delete"), "retain": count("retain"), "snapshot": count("snapshot"), "data_deleted": rows.iter().filter(|r| r.holds_data && r.action == "delete").count() },
        "resources": rows.iter().map(|r| json!({
            "logical_id": r.logical_id, "type": r.resource_type, "on_delete": r.action, "physical_id": r.physical_id, "holds_data": r.holds_data,
        })).collect::<Vec<_>>(),
    })
}

pub fn to_text(stack: &str, rows: &[Row]) -> String {
    let count = |a: &str| rows.iter().filter(|r| r.action == a).count();
    let lost = rows.iter().filter(|r| r.holds_data && r.action == "delete").count();
    let mut s = format!(
        "Deleting {stack}: {} deleted, {} retained, {} snapshotted; {lost} resource(s) holding data are deleted with their data.\n",
        count("delete"),
        count("retain"),
        count("snapshot")
    );
    s.push_str(&crate::diff::table(
        &["on delete", "logical id", "type", "physical id", "holds data"],
        rows.iter().map(|r| {
            vec![
                r.action.clone(),
                r.logical_id.clone(),
                r.resource_type.clone(),
                r.physical_id.clone().unwrap_or_else(|| "-".into()),
                if r.holds_data { "yes".into() } else { "".into() },
            ]
        }),
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retained_and_snapshotted_come_first_and_data_loss_is_counted() {
        let t = json!({ "Resources": {
            "Q": { "Type": "AWS::SNS::Topic" },
            "B": { "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain" },
            "D": { "Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot" },
            "T": { "Type": "AWS::DynamoDB::Table" },
        }});
        let physical = BTreeMap::from([("B".to_owned(), "orders-prod".to_owned())]);
        let rows = plan(&t, &physical);
        assert_eq!(rows.iter().map(|r| r.logical_id.as_str()).collect::<Vec<_>>(), ["B", "D", "T", "Q"]);
        assert_eq!(rows[0].physical_id.as_deref(), Some("orders-prod"));
        let j = to_json("Orders", &rows);
        assert_eq!(j["summary"], json!({ "delete": 2, "retain": 1, "snapshot": 1, "data_deleted": 1 }));
        assert!(to_text("Orders", &rows).contains("1 resource(s) holding data are deleted"));
    }
}
