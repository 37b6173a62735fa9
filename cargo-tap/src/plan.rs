//! `cargo tap plan-delete`: what deleting a stack removes, retains or snapshots, read off
//! the template's `DeletionPolicy`s (the deployed template for a deployed stack, with each
//! resource's physical id), so the plan and what CloudFormation does cannot disagree. A
//! resource that writes no policy gets CloudFormation's default for its type (an RDS
//! database is snapshotted), not an assumed `Delete`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;
use tap_core::aws_data::registry;
use tap_core::cfn::DeletionPolicy;
use tap_core::plan::Summary;

#[derive(Debug, PartialEq, Serialize)]
pub struct Row {
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What the stack's deletion does to it: `Delete`, `Retain` or `Snapshot`.
    #[serde(rename = "on_delete")]
    pub action: DeletionPolicy,
    pub physical_id: Option<String>,
    pub holds_data: bool,
}

impl Row {
    /// Its data is deleted with the stack.
    pub fn loses_data(&self) -> bool {
        self.holds_data && !self.action.keeps_data()
    }
}

/// `cargo tap plan-delete --json` (and the plan inside `cargo tap delete --json`).
#[derive(Debug, Serialize)]
pub struct Plan {
    pub stack: String,
    pub summary: PlanSummary,
    pub resources: Vec<Row>,
}

#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    #[serde(flatten)]
    pub by_policy: Summary,
    /// Resources that hold data and are deleted with it.
    pub data_deleted: usize,
}

/// The plan for `template`; `physical` maps logical ids to deployed physical ids.
pub fn plan(stack: &str, template: &Json, physical: &BTreeMap<String, String>) -> Plan {
    let mut rows: Vec<Row> = template["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(lid, r)| {
            let ty = r["Type"].as_str().unwrap_or_default().to_owned();
            Row {
                logical_id: lid.clone(),
                holds_data: registry::schema(&ty).is_some_and(|s| s.stateful),
                resource_type: ty,
                action: DeletionPolicy::of(r).on_stack_delete(),
                physical_id: physical.get(lid).cloned(),
            }
        })
        .collect();
    // What survives first: that is what the reader must not be surprised by.
    rows.sort_by_key(|r| (!r.action.keeps_data(), !r.holds_data, r.logical_id.clone()));
    let summary = PlanSummary {
        by_policy: Summary::of(rows.iter().map(|r| r.action)),
        data_deleted: rows.iter().filter(|r| r.loses_data()).count(),
    };
    Plan { stack: stack.to_owned(), summary, resources: rows }
}

impl Plan {
    pub fn to_text(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "Deleting {}: {} deleted, {} retained, {} snapshotted; {} resource(s) holding data are deleted with their data.\n",
            self.stack, s.by_policy.delete, s.by_policy.retain, s.by_policy.snapshot, s.data_deleted
        );
        out.push_str(&crate::diff::table(
            &["on delete", "logical id", "type", "physical id", "holds data"],
            self.resources.iter().map(|r| {
                vec![
                    r.action.word().to_lowercase(),
                    r.logical_id.clone(),
                    r.resource_type.clone(),
                    r.physical_id.clone().unwrap_or_else(|| "-".into()),
                    if r.holds_data { "yes".into() } else { "".into() },
                ]
            }),
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn retained_and_snapshotted_come_first_and_data_loss_is_counted() {
        let t = json!({ "Resources": {
            "Q": { "Type": "AWS::SNS::Topic" },
            "B": { "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain" },
            "D": { "Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot" },
            "T": { "Type": "AWS::DynamoDB::Table" },
        }});
        let physical = BTreeMap::from([("B".to_owned(), "orders-prod".to_owned())]);
        let p = plan("Orders", &t, &physical);
        assert_eq!(p.resources.iter().map(|r| r.logical_id.as_str()).collect::<Vec<_>>(), ["B", "D", "T", "Q"]);
        assert_eq!(p.resources[0].physical_id.as_deref(), Some("orders-prod"));
        let j = serde_json::to_value(&p).unwrap();
        assert_eq!(j["summary"], json!({ "delete": 2, "retain": 1, "snapshot": 1, "data_deleted": 1 }));
        assert_eq!(j["resources"][0]["on_delete"], "Retain");
        assert!(p.to_text().contains("1 resource(s) holding data are deleted"));
    }

    /// A template tap did not write: CloudFormation snapshots an RDS database (instance or
    /// cluster) that writes no `DeletionPolicy`; a cluster's member instance is deleted
    /// with its cluster's snapshot.
    #[test]
    fn a_database_without_a_policy_is_snapshotted() {
        let t = json!({ "Resources": {
            "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres" } },
            "Cluster": { "Type": "AWS::RDS::DBCluster", "Properties": {} },
            "Member": { "Type": "AWS::RDS::DBInstance", "Properties": { "DBClusterIdentifier": { "Ref": "Cluster" } } },
            "Kept": { "Type": "AWS::RDS::DBInstance", "DeletionPolicy": "RetainExceptOnCreate" },
        }});
        let p = plan("Legacy", &t, &BTreeMap::new());
        let action = |id: &str| p.resources.iter().find(|r| r.logical_id == id).unwrap().action;
        assert_eq!(action("Db"), DeletionPolicy::Snapshot);
        assert_eq!(action("Cluster"), DeletionPolicy::Snapshot);
        assert_eq!(action("Member"), DeletionPolicy::Delete);
        assert_eq!(action("Kept"), DeletionPolicy::Retain);
        assert_eq!((p.summary.by_policy.snapshot, p.summary.by_policy.retain), (2, 1));
        assert!(p.to_text().contains("snapshot  ") || p.to_text().contains("snapshot "), "{}", p.to_text());
        assert!(!p.to_text().starts_with("Deleting Legacy: 3 deleted"));
    }
}
