//! The IAM actions that exist, by service (generated from cfn-lint's list by
//! `scripts/gen-cfn-data`): a `Raw` grant's actions are checked against them, so a
//! misspelt action is a compile error instead of a statement that silently allows nothing.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/iam-actions.txt");

fn services() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static SERVICES: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    SERVICES.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut words = l.split(' ');
                Some((words.next()?, words.collect()))
            })
            .collect()
    })
}

/// Why `action` (`service:Action`) is not an IAM action, with the closest one if any.
/// Wildcards are IAM-002's to judge, not this list's.
pub fn unknown(action: &str) -> Option<(String, Option<String>)> {
    if action.contains('*') || action.contains('?') {
        return None;
    }
    let Some((service, name)) = action.split_once(':') else {
        return Some((format!("\"{action}\" is not `service:Action`"), None));
    };
    let service = service.to_ascii_lowercase();
    let Some(actions) = services().get(service.as_str()) else {
        let near = crate::finding::did_you_mean(&service, services().keys().copied()).map(|s| format!("{s}:{name}"));
        return Some((format!("\"{action}\": `{service}` is not an IAM service prefix"), near));
    };
    let lower = name.to_ascii_lowercase();
    if actions.binary_search(&lower.as_str()).is_ok() {
        return None;
    }
    let near = crate::finding::did_you_mean(&lower, actions.iter().copied()).map(|a| format!("{service}:{a}"));
    Some((format!("\"{action}\" is not an action of `{service}`"), near))
}

#[cfg(test)]
mod tests {
    use super::unknown;

    #[test]
    fn real_actions_pass_in_any_case_and_misspelt_ones_get_the_closest() {
        assert_eq!(unknown("s3:GetObject"), None);
        assert_eq!(unknown("kinesis:listshards"), None);
        assert_eq!(unknown("sqs:*"), None, "wildcards are IAM-002's");
        let (why, near) = unknown("s3:GetObjekt").unwrap();
        assert!(why.contains("not an action of `s3`"), "{why}");
        assert_eq!(near.as_deref(), Some("s3:getobject"));
        assert!(unknown("s4:GetObject").unwrap().1.is_some_and(|n| n.starts_with("s3:")));
        assert!(unknown("GetObject").unwrap().0.contains("service:Action"));
        assert!(super::services().values().map(Vec::len).sum::<usize>() > 20_000);
    }
}
