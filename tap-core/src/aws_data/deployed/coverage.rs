//! The coverage of the rules over every registry type (`docs/COVERAGE.md`): which types
//! hold data, which settings a rule reads, and the protective properties no rule reads.

use super::*;

/// Every registry type's schema, in name order (for the coverage table).
pub fn all_types() -> Vec<&'static TypeSchema> {
    let mut types: Vec<&str> = registry::types().collect();
    types.sort_unstable();
    types.into_iter().filter_map(registry::schema).collect()
}

/// Property names that protect data or access, whatever the derivation makes of them: the
/// coverage test holds every property of a registry type so named to a rule.
const PROTECTIVE: &[&str] = &[
    "deletionprotection",
    "terminationprotection",
    "disableapitermination",
    "backupretention",
    "snapshotretention",
    "automaticbackupretention",
    "automatedsnapshotretention",
    "pointintimerecovery",
    "publiclyaccessible",
];

/// What no rule reads of a type, given its settings: a protective property that is neither a
/// setting nor ignored with a reason, or a type that holds data with no statement of how it
/// is encrypted at rest. Empty when the table covers the type.
pub fn gaps(schema: &'static TypeSchema, settings: &[Setting]) -> Vec<String> {
    let curated = curated(schema.ty);
    let ignored = |p: &str| curated.is_some_and(|c| c.ignore.iter().any(|(i, _)| *i == p));
    let paths = schema.paths();
    let mut out = Vec::new();
    for (path, shape) in &paths {
        let leaf = path.rsplit('.').next().unwrap_or(path).replace("[]", "").to_ascii_lowercase();
        if !PROTECTIVE.iter().any(|p| leaf.contains(p)) || ignored(path) || schema.read_only.contains(path) {
            continue;
        }
        // An object whose own properties are the settings (`PointInTimeRecoverySpecification`).
        let parent = shape.single_type() == Some("object")
            && paths.iter().any(|(p, _)| p.starts_with(&format!("{path}.")) && settings.iter().any(|s| s.path == *p));
        if !parent && !settings.iter().any(|s| s.path == *path) {
            out.push(format!(
                "{} {path}: no rule reads it (add it to deployed/curated.rs, or ignore it with a reason)",
                schema.ty
            ));
        }
    }
    if holds_data(schema) && at_rest(schema) == AtRest::Settings && !settings.iter().any(|s| s.role == Role::AtRest) {
        out.push(format!("{}: holds data, and nothing says how it is encrypted at rest", schema.ty));
    }
    out
}

/// The coverage table (`docs/COVERAGE.md`): every registry type that holds data, has a
/// setting a rule reads, or carries a resource policy or permission, and the rules that
/// reach it. `kind` names the kind that stands for a type (its raw form is refused).
pub fn coverage_table(kind: impl Fn(&str) -> Option<&'static str>) -> String {
    let mut out = String::from(
        "# What tap's rules judge, by CloudFormation type\n\n\
         Generated from `tap-core/src/aws_data/deployed/` and the registry schemas by \
         `TAP_BLESS=1 cargo test -p tap-core --test coverage`; the test fails when it is stale, \
         and when a type that holds data, or a property that protects data or access, is read \
         by no rule.\n\n\
         A type tap has a kind for is written with the kind (its raw form is refused), and the \
         kind's rules reach it. Every other type is judged by what its properties deploy. \
         \"holds data\": cfn-lint's stateful types and the curated ones; \"at rest\": how its data is \
         encrypted (a setting, always by the service, or never, which makes it an error to declare).\n\n\
         | type | holds data | at rest | settings read | resource policy | rules |\n|---|---|---|---|---|---|\n",
    );
    for schema in all_types() {
        if schema.ty.starts_with("AWS::IAM::") {
            continue;
        }
        let settings = settings(schema);
        let policies = policy_properties(schema);
        let permission = PERMISSIONS.iter().any(|(t, _)| *t == schema.ty);
        let data = holds_data(schema);
        if !data && settings.is_empty() && policies.is_empty() && !permission && curated(schema.ty).is_none() {
            continue;
        }
        if let Some(word) = kind(schema.ty) {
            out.push_str(&format!(
                "| `{}` | {} | kind `{word}` | kind `{word}` | kind `{word}` | the kind's |\n",
                schema.ty,
                if data { "yes" } else { "no" }
            ));
            continue;
        }
        // Encryption and what a durable deployment keeps are judged of data only.
        let judged = |s: &&Setting| data || !matches!(s.role, Role::AtRest | Role::InTransit);
        let mut rules: Vec<&str> = settings
            .iter()
            .filter(judged)
            .flat_map(|s| s.role.rules().iter().copied())
            .filter(|r| data || !r.starts_with("TAP-KEEP-"))
            .collect();
        let rest = match at_rest(schema) {
            _ if !data => "-".to_owned(),
            AtRest::Settings => {
                rules.push("TAP-ENC-001");
                settings
                    .iter()
                    .filter(|s| s.role == Role::AtRest)
                    .map(|s| format!("`{}`", s.path))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            AtRest::Always(why) => format!("always: {why}"),
            AtRest::Never(_) => {
                rules.push("TAP-ENC-001");
                "never: refused".to_owned()
            }
        };
        if !policies.is_empty() || permission {
            rules.push("TAP-PUBLIC-001");
        }
        if data {
            rules.extend(["TAP-DESTROY-001", "TAP-KEEP-001"]);
        }
        rules.sort_unstable();
        rules.dedup();
        let read = settings
            .iter()
            .filter(judged)
            .filter(|s| s.role != Role::AtRest)
            .map(|s| format!("`{}` ({:?})", s.path, s.role))
            .collect::<Vec<_>>()
            .join(", ");
        let policy = if permission {
            "`Principal`".to_owned()
        } else {
            policies.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {} | {rest} | {read} | {policy} | {} |\n",
            schema.ty,
            if data { "yes" } else { "no" },
            rules.join(", ")
        ));
    }
    out
}
