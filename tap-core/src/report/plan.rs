//! The delete plan: what `aws cloudformation delete-stack` will do to each resource of one
//! lifecycle's template (deleted, retained or snapshotted), with its physical name and why,
//! written beside the template so nobody learns it from a failed or surprising delete.
//!
//! It is read off the synthesised template itself (each resource's `DeletionPolicy`), so
//! the plan and what CloudFormation does cannot disagree; the checked stack adds the reasons.

use serde::Serialize;

use crate::cfn::{DeletionPolicy, Json, SUFFIX_PARAM};
use crate::kinds::schema::Lifecycle;
use crate::kinds::Checked;
use crate::model::Forget;

/// What deleting the stack does to one resource (`delete-plan.json` is these, serialised).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Its `DeletionPolicy` as CloudFormation applies it to a stack delete: the one it
    /// writes, or the type's default (`Snapshot` for RDS), `RetainExceptOnCreate` as `Retain`.
    #[serde(rename = "on_delete")]
    pub action: DeletionPolicy,
    /// The physical name the stack chose, `${EnvironmentSuffix}` standing for the suffix;
    /// `None` when CloudFormation generates it.
    pub physical_name: Option<String>,
    pub why: String,
    /// Retained under a name the stack chose: deploying the same suffix again fails on
    /// that name until the resource is imported into the new stack or removed by hand.
    pub blocks_redeploy: bool,
    /// Findings it has on purpose, as `RULE (at): reason` (from the template's metadata).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeletePlan {
    pub stack: String,
    pub lifecycle: Lifecycle,
    pub summary: Summary,
    #[serde(rename = "resources")]
    pub entries: Vec<Entry>,
    /// Kept resources that left the stack on purpose (`tap::forget!`): no longer in the
    /// template, retained in the account by the deployments that had them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forgotten: Vec<Forget>,
}

/// How many resources each policy applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub delete: usize,
    pub retain: usize,
    pub snapshot: usize,
}

impl Summary {
    pub fn of(actions: impl IntoIterator<Item = DeletionPolicy>) -> Summary {
        let mut s = Summary::default();
        for a in actions {
            match a.on_stack_delete() {
                DeletionPolicy::Delete => s.delete += 1,
                DeletionPolicy::Retain | DeletionPolicy::RetainExceptOnCreate => s.retain += 1,
                DeletionPolicy::Snapshot => s.snapshot += 1,
            }
        }
        s
    }
}

/// The plan for `template`, which `stack` synthesised for `lifecycle`.
pub fn delete_plan(stack: &Checked, lifecycle: Lifecycle, template: &Json) -> DeletePlan {
    let by_lid: std::collections::HashMap<&str, usize> = (0..stack.nodes.len()).map(|i| (stack.lid(i), i)).collect();
    let suffix_ref = format!("${{{SUFFIX_PARAM}}}");
    let recorded = crate::synth::recorded(template);
    let mut entries = Vec::new();
    for (lid, resource) in template["Resources"].as_object().into_iter().flatten() {
        let action = DeletionPolicy::of(resource).on_stack_delete();
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
                (Lifecycle::Durable, DeletionPolicy::Snapshot) => "durable: a final snapshot is kept".to_owned(),
                (Lifecycle::Durable, _) => "durable: kept with its data".to_owned(),
            },
            _ => "holds no data".to_owned(),
        };
        let blocks_redeploy = action == DeletionPolicy::Retain && physical_name.is_some();
        entries.push(Entry {
            logical_id: lid.clone(),
            resource_type: resource["Type"].as_str().unwrap_or_default().to_owned(),
            action,
            physical_name,
            why,
            blocks_redeploy,
            acknowledged: recorded
                .iter()
                .filter(|a| &a.resource == lid)
                .map(|a| format!("{} ({}): {}", a.rule, a.at, a.reason))
                .collect(),
        });
    }
    // Only a durable deployment kept them; an ephemeral one deleted them with the update.
    let forgotten = match lifecycle {
        Lifecycle::Durable => stack.forgotten.clone(),
        Lifecycle::Ephemeral => Vec::new(),
    };
    DeletePlan {
        stack: stack.name.clone(),
        lifecycle,
        summary: Summary::of(entries.iter().map(|e| e.action)),
        entries,
        forgotten,
    }
}

impl DeletePlan {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan always serialises") + "\n"
    }

    /// The plan as Markdown: what is kept first, then the table of every resource.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# Delete plan: {}, {} deployments\n\nWhat `aws cloudformation delete-stack` does to each resource of `template.json` beside this file: \
             {} deleted, {} retained, {} deleted after a final snapshot. Generated by tap from the template; do not edit.\n\n",
            self.stack,
            self.lifecycle.dir(),
            self.summary.delete, self.summary.retain, self.summary.snapshot,
        );
        let kept: Vec<&Entry> = self.entries.iter().filter(|e| e.action != DeletionPolicy::Delete).collect();
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
                    e.action.word().to_lowercase(),
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
        if !self.forgotten.is_empty() {
            s.push_str("## Left in the account: no longer in the stack\n\n");
            for f in &self.forgotten {
                s.push_str(&format!(
                    "- `{}`: forgotten (`tap::forget!`), retained by the deployments that had it: {}\n",
                    f.logical_id, f.reason
                ));
            }
            s.push('\n');
        }
        let acknowledged: Vec<&Entry> = self.entries.iter().filter(|e| !e.acknowledged.is_empty()).collect();
        if !acknowledged.is_empty() {
            s.push_str("## Exceptions acknowledged on purpose\n\n");
            for e in acknowledged {
                for a in &e.acknowledged {
                    s.push_str(&format!("- `{}` ({}): {a}\n", e.logical_id, e.resource_type));
                }
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
                e.action.word().to_lowercase(),
                e.physical_name.as_ref().map(|n| format!("`{n}`")).unwrap_or_else(|| "(generated)".to_owned()),
                e.why
            ));
        }
        s
    }
}
