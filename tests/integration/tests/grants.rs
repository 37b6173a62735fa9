//! One table of truth for grants: each handle operation names the IAM actions it needs
//! (`tap::aws::ops()`), each access level in tap-core lists the actions it grants, and
//! they agree exactly, level by level.

use std::collections::BTreeSet;

use tap::aws::{self, Op};
use tap::Kind;

fn kinds_with_handles() -> Vec<(&'static tap::kinds::schema::Spec, &'static str)> {
    Kind::ALL.iter().filter_map(|k| k.spec().handle.as_ref().map(|h| (k.spec(), h.ty))).collect()
}

/// Levels whose only user is tap's own code, not an app's SDK calls: (kind, level, the
/// actions that code makes, where). The database's master secret is read by the setup
/// function (`GetSecretValue`); a database user's `connect` is what RDS checks for a token
/// `tap::database::token` mints (no API call at all).
const USED_BY_TAP: &[(&str, &str, &[&str], &str)] = &[
    ("Database", "admin", &["secretsmanager:GetSecretValue"], "tap::database::setup::read_credentials"),
    ("DatabaseUser", "connect", &["rds-db:connect"], "tap::database::token"),
];

#[test]
fn every_kind_with_levels_has_a_handle_and_every_handle_a_kind() {
    for (word, level, actions, by) in USED_BY_TAP {
        let spec = Kind::from_word(word).unwrap().spec();
        assert!(spec.handle.is_none(), "{word} has a handle: its levels are checked through it");
        let levels: Vec<&str> = spec.levels.iter().map(|l| l.name).collect();
        assert_eq!(levels, [*level], "{word}'s levels");
        assert_eq!(spec.level(level).unwrap().actions, *actions, "{word}.{level} grants what {by} needs");
    }
    let with_levels: BTreeSet<&str> = Kind::ALL
        .iter()
        .map(|k| k.spec())
        .filter(|s| !s.levels.is_empty() && !USED_BY_TAP.iter().any(|u| u.0 == s.word))
        .map(|s| s.word)
        .collect();
    let with_handles: BTreeSet<&str> = kinds_with_handles().iter().map(|(s, _)| s.word).collect();
    assert_eq!(with_levels, with_handles, "a kind reached through IAM has a handle, and only those");
    let handle_types: BTreeSet<&str> = aws::ops().map(|o| o.handle).collect();
    let declared: BTreeSet<&str> = kinds_with_handles().iter().map(|(_, ty)| *ty).collect();
    assert_eq!(handle_types, declared, "tap::aws declares exactly the handles the kinds name");
}

#[test]
fn each_level_grants_exactly_what_its_operations_need() {
    let mut problems = Vec::new();
    for (spec, ty) in kinds_with_handles() {
        let ops: Vec<&Op> = aws::ops().filter(|o| o.handle == ty).collect();
        for level in spec.levels {
            let granted: BTreeSet<&str> = level.actions.iter().copied().collect();
            let available: Vec<&&Op> = ops.iter().filter(|o| o.levels.contains(&level.name)).collect();
            let needed: BTreeSet<&str> = available.iter().flat_map(|o| o.actions.iter().copied()).collect();
            for a in granted.difference(&needed) {
                problems.push(format!(
                    "{}.{} grants {a}, which no operation of {ty}<{}> needs",
                    spec.word, level.name, level.name
                ));
            }
            for a in needed.difference(&granted) {
                problems.push(format!(
                    "{ty}<{}> has an operation needing {a}, which {}.{} does not grant",
                    level.name, spec.word, level.name
                ));
            }
        }
        for op in &ops {
            for l in op.levels {
                if spec.level(l).is_none() {
                    problems.push(format!("{ty}::{} is offered at `{l}`, which {} does not have", op.name, spec.word));
                }
            }
            // Offered at every level that grants all it needs, not only some of them.
            for level in spec.levels {
                let covers = op.actions.iter().all(|a| level.actions.contains(a));
                if covers && !op.levels.contains(&level.name) {
                    problems.push(format!(
                        "{ty}::{} needs only what `{}` grants, yet {ty}<{}> lacks it",
                        op.name, level.name, level.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "grants and handle operations disagree:\n{}", problems.join("\n"));
}

#[test]
fn every_operation_error_is_a_tap_iam_003_naming_a_level() {
    for op in aws::ops() {
        assert!(op.message.starts_with("TAP-IAM-003: "), "{}::{}: {}", op.handle, op.name, op.message);
        for l in op.levels {
            assert!(
                op.message.contains(&format!("`{l}`")),
                "{}::{}'s error does not name the `{l}` grant: {}",
                op.handle,
                op.name,
                op.message
            );
        }
    }
}
