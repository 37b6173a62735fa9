//! The delete plan: what `aws cloudformation delete-stack` will do to each resource of one
//! lifecycle's template (deleted, retained or snapshotted), with its physical name and why,
//! written beside the template so nobody learns it from a failed or surprising delete.
//!
//! It is read off the synthesised template itself (each resource's `DeletionPolicy`), so
//! the plan and what CloudFormation does cannot disagree; the checked stack adds the reasons.

use serde_json::json;

use crate::cfn::{Json, SUFFIX_PARAM};
use crate::kinds::schema::Lifecycle;
use crate::kinds::Checked;

/// What deleting the stack does to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Delete,
    Retain,
    /// Deleted after a final snapshot, which is kept.
    Snapshot,
}

impl Action {
    /// What CloudFormation does to a template resource when its stack is deleted: its
    /// `DeletionPolicy` (`Delete` when there is none).
    pub fn of(resource: &Json) -> Action {
        match resource["DeletionPolicy"].as_str() {
            Some("Retain") | Some("RetainExceptOnCreate") => Action::Retain,
            Some("Snapshot") => Action::Snapshot,
            _ => Action::Delete,
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::Retain => "retain",
            Action::Snapshot => "snapshot",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub logical_id: String,
    pub resource_type: String,
    pub action: Action,
    /// The physical name the stack chose, `${EnvironmentSuffix}` standing for the suffix;
    /// `None` when CloudFormation generates it.
    pub physical_name: Option<String>,
    pub why: String,
    /// Retained under a name the stack chose: deploying the same suffix again fails on
    /// that name until the resource is imported into the new stack or removed by hand.
    pub blocks_redeploy: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeletePlan {
    pub stack: String,
    pub lifecycle: Lifecycle,
    pub entries: Vec<Entry>,
}

/// The plan for `template`, which `stack` synthesised for `lifecycle`.
pub fn delete_plan(stack: &Checked, lifecycle: Lifecycle, template: &Json) -> DeletePlan {
    let by_lid: std::collections::HashMap<&str, usize> = (0..stack.nodes.len()).map(|i| (stack.lid(i), i)).collect();
    let suffix_ref = format!("${{{SUFFIX_PARAM}}}");
    let mut entries = Vec::new();
    for (lid, resource) in template["Resources"].as_object().into_iter().flatten() {
        let action = Action::of(resource);
        // The name the stack chose is the top-level property built from the suffix.
        let physical_name = resource["Properties"]
            .as_object()
            .into_iter()
            .flatten()
            .find_map(|(_, v)| v["Fn::Sub"].as_str().filter(|s| s.contains(&suffix_ref)).map(str::to_owned));
        let node = by_lid.get(lid.as_str()).map(|&i| (i, stack.node(i)));
        let why = match node {
            Some((_, n)) if n.res.disposable().is_some() && lifecycle == Lifecycle::Durable => {
                format!("disposable: {}", n.res.disposable().map(|d| d.value.as_str()).unwrap_or_default())
            }
            Some((_, n)) if n.res.removal().is_some() => {
                format!("`removal: {}` as written", n.res.removal().map(|r| r.word()).unwrap_or_default())
            }
            Some((i, _)) if stack.holds_data(i) => match (lifecycle, action) {
                (Lifecycle::Ephemeral, _) => "ephemeral: its data goes with the stack".to_owned(),
                (Lifecycle::Durable, Action::Snapshot) => "durable: a final snapshot is kept".to_owned(),
                (Lifecycle::Durable, _) => "durable: kept with its data".to_owned(),
            },
            _ => "holds no data".to_owned(),
        };
        let blocks_redeploy = action == Action::Retain && physical_name.is_some();
        entries.push(Entry {
            logical_id: lid.clone(),
            resource_type: resource["Type"].as_str().unwrap_or_default().to_owned(),
            action,
            physical_name,
            why,
            blocks_redeploy,
        });
    }
    DeletePlan { stack: stack.name.clone(), lifecycle, entries }
}

impl DeletePlan {
    pub fn count(&self, action: Action) -> usize {
        self.entries.iter().filter(|e| e.action == action).count()
    }

    pub fn to_json(&self) -> String {
        let entries: Vec<Json> = self
            .entries
            .iter()
            .map(|e| {
                json!({
                    "logical_id": e.logical_id,
                    "type": e.resource_type,
                    "on_delete": e.action.word(),
                    "physical_name": e.physical_name,
                    "why": e.why,
                    "blocks_redeploy": e.blocks_redeploy,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&json!({
            "stack": self.stack,
            "lifecycle": self.lifecycle.dir(),
            "summary": { "delete": self.count(Action::Delete), "retain": self.count(Action::Retain), "snapshot": self.count(Action::Snapshot) },
            "resources": entries,
        }))
        .expect("a JSON value always serialises");
        s.push('\n');
        s
    }

    /// The plan as Markdown: what is kept first, then the table of every resource.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# Delete plan: {}, {} deployments\n\nWhat `aws cloudformation delete-stack` does to each resource of `template.json` beside this file: \
             {} deleted, {} retained, {} deleted after a final snapshot. Generated by tap from the template; do not edit.\n\n",
            self.stack,
            self.lifecycle.dir(),
            self.count(Action::Delete),
            self.count(Action::Retain),
            self.count(Action::Snapshot),
        );
        let kept: Vec<&Entry> = self.entries.iter().filter(|e| e.action != Action::Delete).collect();
        if kept.is_empty() {
            s.push_str(
                "Nothing is kept: every resource, and every object in every bucket, is deleted with the stack.\n\n",
            );
        } else {
            s.push_str("## Kept after the stack is gone\n\n");
            for e in &kept {
                s.push_str(&format!(
                    "- `{}` ({}): {}{}\n",
                    e.logical_id,
                    e.resource_type,
                    e.action.word(),
                    e.physical_name.as_ref().map(|n| format!(", named `{n}`")).unwrap_or_default()
                ));
            }
            let blocking: Vec<&&Entry> = kept.iter().filter(|e| e.blocks_redeploy).collect();
            if !blocking.is_empty() {
                s.push_str(&format!(
                    "\n**Redeploying the same suffix is blocked** by {} retained resource(s) with a fixed name: a new stack with that suffix fails \
                     on each name until the resource is imported into it (`aws cloudformation create-change-set --change-set-type IMPORT`) \
                     or removed by hand. To move a durable environment to a new stack, import; do not delete and recreate.\n",
                    blocking.len()
                ));
            }
            s.push('\n');
        }
        s.push_str(
            "## Every resource\n\n| resource | type | on delete | physical name | why |\n|---|---|---|---|---|\n",
        );
        for e in &self.entries {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                e.logical_id,
                e.resource_type,
                e.action.word(),
                e.physical_name.as_ref().map(|n| format!("`{n}`")).unwrap_or_else(|| "(generated)".to_owned()),
                e.why
            ));
        }
        s
    }
}
