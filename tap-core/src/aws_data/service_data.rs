//! What the services accept for new resources, as cfn-lint checks it (generated from the
//! pinned cfn-lint by `scripts/gen-cfn-data`, us-east-1): RDS engine versions, the ones
//! deprecated for new instances, and instance classes; ElastiCache engine versions and
//! node types; Lambda runtime lifecycle dates. A curated kind checks its values here, so a
//! stack that compiles does not meet cfn-lint's W3691, E3025, W2531 or E2531.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/services.txt");

/// `section key` -> values, e.g. `rds-version postgres` -> every version.
fn table() -> &'static HashMap<String, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split(' ');
            let section = words.next().unwrap_or_default();
            // A section with one list has no key.
            let key = if section == "cache-node-type" { "" } else { words.next().unwrap_or_default() };
            t.insert(format!("{section} {key}"), words.collect());
        }
        t
    })
}

fn list(section: &str, key: &str) -> &'static [&'static str] {
    table().get(&format!("{section} {key}")).map(Vec::as_slice).unwrap_or_default()
}

/// A version a service lists, as its parts, for ordering (`17.10` after `17.9`).
fn parts(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect()
}

/// The newest version of each of the newest `majors` major versions among `versions`.
pub fn newest(versions: &[&str], majors: usize) -> Vec<String> {
    let mut sorted: Vec<&str> = versions.to_vec();
    sorted.sort_by_key(|v| std::cmp::Reverse(parts(v)));
    let mut out: Vec<String> = Vec::new();
    for v in sorted {
        let major = parts(v).first().copied();
        if out.iter().all(|o| parts(o).first().copied() != major) {
            out.push(v.to_owned());
        }
        if out.len() == majors {
            break;
        }
    }
    out
}

/// `"a", "b"` for a fix line.
pub fn quoted(values: &[String]) -> String {
    values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
}

/// Why `version` of `engine` is unknown to RDS for a new instance, with current versions.
/// (A deprecated one is [`rds_deprecated`]'s: a rule, TAP-VER-001.)
pub fn rds_version(engine: &str, version: &str) -> Option<(String, Vec<String>)> {
    (!list("rds-version", engine).contains(&version))
        .then(|| (format!("{engine} has no version {version}"), current("rds", engine)))
}

/// The current versions RDS offers of `engine` (`rds`: instances; `rds-cluster`: clusters),
/// newest of the three newest majors.
fn current(section: &str, engine: &str) -> Vec<String> {
    let deprecated = list(&format!("{section}-deprecated"), engine);
    let current: Vec<&str> =
        list(&format!("{section}-version"), engine).iter().copied().filter(|v| !deprecated.contains(v)).collect();
    newest(&current, 3)
}

/// `version` of `engine` is deprecated: RDS no longer creates instances (`cluster`: false)
/// or clusters of it. Why, and the current versions.
pub fn rds_deprecated(engine: &str, version: &str, cluster: bool) -> Option<(String, Vec<String>)> {
    let (section, what) = if cluster { ("rds-cluster", "clusters") } else { ("rds", "instances") };
    list(&format!("{section}-deprecated"), engine).contains(&version).then(|| {
        (
            format!("{engine} {version} is deprecated: RDS no longer creates {what} of it (cfn-lint W3691)"),
            current(section, engine),
        )
    })
}

/// Why `class` is not an RDS instance class for `engine`, with the closest one.
pub fn rds_class(engine: &str, class: &str) -> Option<(String, Option<&'static str>)> {
    let classes = list("rds-class", engine);
    (!classes.contains(&class)).then(|| {
        (
            format!("{class} is not an RDS instance class for {engine} (cfn-lint E3025)"),
            crate::finding::did_you_mean(class, classes.iter().copied()),
        )
    })
}

/// Why `version` is not an ElastiCache version of `engine`, with the current ones.
pub fn cache_version(engine: &str, version: &str) -> Option<(String, Vec<String>)> {
    let versions = list("cache-version", engine);
    (!versions.contains(&version))
        .then(|| (format!("{engine} has no ElastiCache version {version}"), newest(versions, 3)))
}

/// Why `node_type` is not an ElastiCache node type, with the closest one.
pub fn cache_node_type(node_type: &str) -> Option<(String, Option<&'static str>)> {
    let types = list("cache-node-type", "");
    (!types.contains(&node_type)).then(|| {
        (
            format!("{node_type} is not an ElastiCache node type"),
            crate::finding::did_you_mean(node_type, types.iter().copied()),
        )
    })
}

/// A Lambda runtime's lifecycle: (deprecated, create-block, successor), dates as
/// `YYYY-MM-DD`.
pub fn runtime(name: &str) -> Option<(Option<&'static str>, Option<&'static str>, Option<&'static str>)> {
    let l = list("lambda-runtime", name);
    let field = |i: usize| l.get(i).copied().filter(|v| *v != "-");
    (!l.is_empty()).then(|| (field(0), field(1), field(2)))
}

/// Today, as `YYYY-MM-DD` (UTC): runtime deprecation is by date, as cfn-lint judges it.
/// `TAP_TODAY` overrides it (tests that pin a date).
pub fn today() -> String {
    if let Ok(t) = std::env::var("TAP_TODAY") {
        return t;
    }
    let days =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0)
            as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_versions_are_deprecated_and_current_ones_pass() {
        assert_eq!(rds_version("postgres", "17.7"), None);
        assert_eq!(rds_deprecated("postgres", "17.7", false), None);
        let (why, fix) = rds_deprecated("postgres", "16.4", false).unwrap();
        assert!(why.contains("deprecated"), "{why}");
        assert!(rds_deprecated("aurora-postgresql", "11.12", true).is_some());
        assert!(rds_deprecated("aurora-postgresql", "18.6", true).is_none());
        assert!(fix.iter().any(|v| v.starts_with("17.")), "{fix:?}");
        assert!(rds_version("postgres", "99.1").unwrap().0.contains("no version"));
        assert_eq!(rds_class("postgres", "db.t3.medium"), None);
        assert_eq!(rds_class("postgres", "db.t3.mega").unwrap().1, Some("db.t3.medium"));
        assert_eq!(cache_version("redis", "7.1"), None);
        assert!(cache_version("redis", "7.3").is_some());
        assert_eq!(cache_node_type("cache.t3.micro"), None);
        assert!(runtime("python3.9").unwrap().0.is_some());
    }

    #[test]
    fn newest_takes_the_latest_of_each_major() {
        assert_eq!(newest(&["16.9", "17.2", "17.10", "16.11", "15.1"], 2), ["17.10", "16.11"]);
    }

    #[test]
    fn today_is_a_civil_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert!(t.as_str() > "2024-01-01" && t.as_str() < "2200-01-01", "{t}");
    }
}
