//! The rule set: one file per rule, each a pure function over the stack model with its
//! metadata beside it. The macro runs these at compile time; `synth()` runs them again
//! for stacks built through the plain API.

use std::path::PathBuf;

use crate::analysis;
use crate::aws_data::deployed::{self, Read, Reading, Role, Setting};
use crate::finding::Finding;
use crate::kinds::raw::Raw;
use crate::kinds::schema::Lifecycle;
use crate::kinds::view::{AsyncInvoke, Use};
use crate::kinds::{Checked, Node, Res};

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
    /// Whether a resource may carry a finding of this rule on purpose (`#[tap::expect(..)]`).
    pub acknowledge: Acknowledge,
    /// Checkov's checks that report the same finding, by the finding's subject (see
    /// `Stack::subject`): when a resource acknowledges it, its template metadata skips
    /// them with the same reason, so the scanner honours the same exception on that
    /// resource and no other.
    pub checkov: &'static [(&'static str, &'static [&'static str])],
    pub check: fn(&Cx<'_>) -> Vec<Finding>,
}

/// Whether, and on which stacks, a finding of a rule can be acknowledged: the rule's own
/// line between a choice a service may make (an opening, an alarm left to a preview) and a
/// defect nothing needs. Each says why, for the guide and the error.
#[derive(Clone, Copy, Debug)]
pub enum Acknowledge {
    /// Never: why no design needs the finding.
    Never(&'static str),
    /// On a stack whose every lifecycle is one of these: why the finding can be intended.
    On(&'static [Lifecycle], &'static str),
}

/// Both lifecycles: a rule acknowledgeable on any stack.
pub const ANY: &[Lifecycle] = &[Lifecycle::Ephemeral, Lifecycle::Durable];

impl Acknowledge {
    pub fn why(self) -> &'static str {
        match self {
            Acknowledge::Never(why) | Acknowledge::On(_, why) => why,
        }
    }
    /// Whether a stack of `lifecycles` may acknowledge it.
    pub fn allows(self, lifecycles: &[Lifecycle]) -> bool {
        match self {
            Acknowledge::Never(_) => false,
            Acknowledge::On(on, _) => lifecycles.iter().all(|l| on.contains(l)),
        }
    }
    /// The guide's line: `no: why`, `yes: why`, `on ephemeral stacks only: why`.
    pub fn describe(self) -> String {
        match self {
            Acknowledge::Never(why) => format!("no: {why}"),
            Acknowledge::On(on, why) if on.len() == ANY.len() => format!("yes, with a reason: {why}"),
            Acknowledge::On(on, why) => format!(
                "on stacks whose deployments are all {} only, with a reason: {why}",
                on.iter().map(|l| l.dir()).collect::<Vec<_>>().join(" or ")
            ),
        }
    }
}

/// What a rule reads.
pub struct Cx<'a> {
    pub stack: &'a Checked,
    pub uses: Vec<Use>,
    /// Every asynchronous invocation of a function (`analysis::async_invocations`).
    pub invocations: Vec<AsyncInvoke>,
    /// Directory relative asset and schema paths are resolved against.
    pub root: PathBuf,
}

impl<'a> Cx<'a> {
    pub fn new(stack: &'a Checked) -> Self {
        Cx {
            stack,
            uses: analysis::uses(stack),
            invocations: analysis::async_invocations(stack),
            root: stack.root.clone(),
        }
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

/// Declares each rule's module and registers it, once: the order written is the order
/// rules run and findings are reported in. A file in `rules/` that is not named here is a
/// test failure (`tests/coverage.rs`), so a rule cannot be written and never run.
macro_rules! rules {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every rule, in the order findings are reported.
        pub static ALL: &[&Rule] = &[$(&$module::RULE),*];

        /// Each rule's module (its file's name), in the order of [`ALL`].
        pub const MODULES: &[&str] = &[$(stringify!($module)),*];
    };
}

rules! {
    name_001_suffix,
    destroy_001_removal_policy,
    destroy_002_bucket_auto_delete,
    destroy_003_deletion_protection,
    destroy_004_backup_retention,
    destroy_005_snapshot_retention,
    keep_001_kept_on_delete,
    keep_002_deletion_protection,
    keep_003_backups,
    keep_004_bucket_versions,
    code_001_inline_code,
    code_002_literal_config,
    code_004_unbundled_runtime,
    iam_001_missing_grant,
    iam_002_unjustified_grant,
    iam_004_database_login,
    net_001_vpc_placement,
    net_002_ingress,
    net_003_endpoints,
    net_004_cache_auth,
    esm_001_failure_handling,
    async_001_failure_handling,
    api_001_integration_timeout,
    data_001_retention,
    data_002_schema,
    out_001_outputs,
    enc_001_encryption,
    public_001_resource_policy,
    public_002_public_endpoint,
    ver_001_supported_versions,
    obs_001_alarms,
}

/// The checkov checks acknowledged with a finding of rule `id` at `at`.
pub fn same_checks<'a>(id: &'a str, at: &'a str) -> impl Iterator<Item = &'static str> + 'a {
    by_id(id)
        .into_iter()
        .flat_map(|r| r.checkov.iter())
        .filter(move |(a, _)| *a == at)
        .flat_map(|(_, c)| c.iter().copied())
}

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
