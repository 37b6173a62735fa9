//! The rule set: one file per rule, each a pure function over the stack model with its
//! metadata beside it. The macro runs these at compile time; `synth()` runs them again
//! for stacks built through the plain API.

use std::path::PathBuf;

use crate::analysis;
use crate::finding::Finding;
use crate::kinds::deployed::{self, Read, Reading, Role, Setting};
use crate::kinds::raw::Raw;
use crate::kinds::schema::Lifecycle;
use crate::kinds::view::Use;
use crate::kinds::{Checked, Node, Res};

mod code_001_inline_code;
mod code_002_literal_config;
mod code_004_unbundled_runtime;
mod data_001_retention;
mod data_002_schema;
mod destroy_001_removal_policy;
mod destroy_002_bucket_auto_delete;
mod destroy_003_deletion_protection;
mod destroy_004_backup_retention;
mod destroy_005_snapshot_retention;
mod enc_001_encryption;
mod esm_001_failure_handling;
mod iam_001_missing_grant;
mod keep_001_kept_on_delete;
mod keep_002_deletion_protection;
mod keep_003_backups;
mod keep_004_bucket_versions;
mod iam_002_unjustified_grant;
mod iam_004_database_login;
mod name_001_suffix;
mod net_001_vpc_placement;
mod net_002_ingress;
mod net_003_endpoints;
mod net_004_cache_auth;
mod obs_001_alarms;
mod out_001_outputs;
mod public_001_resource_policy;
mod public_002_public_endpoint;
mod ver_001_supported_versions;

/// A rule and what a reader needs to learn from it.
pub struct Rule {
    /// Stable id: `TAP-<AREA>-<NNN>`.
    pub id: &'static str,
    pub title: &'static str,
    /// The documented mistake this rule makes impossible.
    pub mistake: &'static str,
    /// The seed's line (CDK Python) that makes the mistake; empty for a rule of tap's own.
    pub seed: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
    /// The lifecycle whose deployments it protects: it runs only on stacks that support it.
    /// `None`: every stack.
    pub lifecycle: Option<Lifecycle>,
    pub check: fn(&Cx) -> Vec<Finding>,
}

/// What a rule reads.
pub struct Cx<'a> {
    pub stack: &'a Checked,
    pub uses: Vec<Use>,
    /// Directory relative asset and schema paths are resolved against.
    pub root: PathBuf,
}

impl<'a> Cx<'a> {
    pub fn new(stack: &'a Checked) -> Self {
        Cx { stack, uses: analysis::uses(stack), root: stack.root.clone() }
    }
    /// The fix for a lifecycle-dependent setting written against a lifecycle: `fix` for a
    /// stack of one lifecycle; for a stack of both, leaving it out, since tap derives it.
    pub fn lifecycle_fix(&self, key: &str, fix: &str) -> String {
        if self.stack.supports(Lifecycle::Ephemeral) && self.stack.supports(Lifecycle::Durable) {
            format!("remove `{key}`: this stack supports both lifecycles, and tap derives it from each")
        } else {
            fix.to_owned()
        }
    }
    /// The resources a durable deployment keeps (they hold data and are not `disposable`).
    pub fn kept(&self) -> impl Iterator<Item = (usize, &'a crate::kinds::Node)> + '_ {
        self.stack.nodes.iter().enumerate().filter(|(i, _)| self.stack.kept_when_durable(*i))
    }
    /// Every setting of `role` that a raw resource writes (or leaves out), one reading per
    /// place: how the rules judge CloudFormation written by hand by what it deploys.
    pub fn raw_settings(&self, role: Role) -> Vec<RawSetting<'a>> {
        let mut out = Vec::new();
        for (i, node) in self.stack.nodes.iter().enumerate() {
            let Res::Raw(raw) = &node.res else { continue };
            for setting in deployed::settings(raw.schema).iter().filter(|s| s.role == role) {
                for reading in deployed::read(&raw.props, &node.malformed, i, setting) {
                    out.push(RawSetting { i, node, raw, setting, reading });
                }
            }
        }
        out
    }
    /// Whether property `key` of resource `i` can be judged: `false` when it was written but
    /// could not be decoded (reported already), so a rule that reads it as a whole (a
    /// function's grants against its uses) says nothing of it this pass.
    pub fn judged(&self, i: usize, key: &str) -> bool {
        !self.stack.node(i).malformed.iter().any(|m| m == key)
    }
    /// The uses of one function.
    pub fn uses_of(&self, function: usize) -> impl Iterator<Item = &Use> {
        self.uses.iter().filter(move |u| u.function == function)
    }
}

/// One reading of a raw resource's setting.
pub struct RawSetting<'a> {
    pub i: usize,
    pub node: &'a Node,
    pub raw: &'a Raw,
    pub setting: &'a Setting,
    pub reading: Reading,
}

impl RawSetting<'_> {
    /// `Path: value`, as a fix writes it (`on`: the setting's on value, or `days`).
    pub fn write(&self, on: bool, days: i64) -> String {
        let value = match self.setting.read {
            Read::Flag => on.to_string(),
            Read::Word { on: w, off } => format!("\"{}\"", if on { w } else { off }),
            Read::Days { .. } => days.to_string(),
        };
        format!("{}: {value}", self.setting.path)
    }
}

pub static ALL: &[&Rule] = &[
    &name_001_suffix::RULE,
    &destroy_001_removal_policy::RULE,
    &destroy_002_bucket_auto_delete::RULE,
    &destroy_003_deletion_protection::RULE,
    &destroy_004_backup_retention::RULE,
    &destroy_005_snapshot_retention::RULE,
    &keep_001_kept_on_delete::RULE,
    &keep_002_deletion_protection::RULE,
    &keep_003_backups::RULE,
    &keep_004_bucket_versions::RULE,
    &code_001_inline_code::RULE,
    &code_002_literal_config::RULE,
    &code_004_unbundled_runtime::RULE,
    &iam_001_missing_grant::RULE,
    &iam_002_unjustified_grant::RULE,
    &iam_004_database_login::RULE,
    &net_001_vpc_placement::RULE,
    &net_002_ingress::RULE,
    &net_003_endpoints::RULE,
    &net_004_cache_auth::RULE,
    &esm_001_failure_handling::RULE,
    &data_001_retention::RULE,
    &data_002_schema::RULE,
    &out_001_outputs::RULE,
    &enc_001_encryption::RULE,
    &public_001_resource_policy::RULE,
    &public_002_public_endpoint::RULE,
    &ver_001_supported_versions::RULE,
    &obs_001_alarms::RULE,
];

pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// Runs every rule; findings come out grouped by rule, in rule order.
pub fn run(stack: &Checked) -> Vec<Finding> {
    let cx = Cx::new(stack);
    ALL.iter()
        .filter(|rule| rule.lifecycle.is_none_or(|l| stack.supports(l)))
        .flat_map(|rule| (rule.check)(&cx))
        .collect()
}
