//! The coverage of the rules over CloudFormation types cannot silently shrink: every
//! registry type that holds data states how it is encrypted at rest, every property that
//! protects data or access is read by a rule (or ignored with a reason), and the generated
//! table `docs/COVERAGE.md` is current.

use tap_core::aws_data::deployed::{self, Role};
use tap_core::aws_data::registry;
use tap_core::kinds::Kind;

fn kind_of(ty: &str) -> Option<&'static str> {
    Kind::ALL.iter().find(|k| k.spec().cfn_type == Some(ty)).map(|k| k.word())
}

#[test]
fn every_protective_property_and_data_type_is_read_by_a_rule() {
    let gaps: Vec<String> = deployed::all_types()
        .into_iter()
        .filter(|s| !s.ty.starts_with("AWS::IAM::") && kind_of(s.ty).is_none())
        .flat_map(|s| deployed::gaps(s, deployed::settings(s)))
        .collect();
    assert!(gaps.is_empty(), "{} gaps:\n{}", gaps.len(), gaps.join("\n"));
}

#[test]
fn dropping_a_protection_property_from_the_table_fails_the_check() {
    for (ty, path) in [
        ("AWS::RDS::DBCluster", "DeletionProtection"),
        ("AWS::RDS::DBCluster", "BackupRetentionPeriod"),
        ("AWS::DocDB::DBCluster", "StorageEncrypted"),
        ("AWS::DynamoDB::GlobalTable", "Replicas[].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"),
        ("AWS::ElastiCache::CacheCluster", "SnapshotRetentionLimit"),
        ("AWS::Cognito::UserPool", "DeletionProtection"),
    ] {
        let schema = registry::schema(ty).unwrap();
        let all = deployed::settings(schema);
        assert!(all.iter().any(|s| s.path == path), "{ty} {path} is not in the table: {all:?}");
        let fewer: Vec<_> = all.iter().filter(|s| s.path != path).cloned().collect();
        assert!(!deployed::gaps(schema, &fewer).is_empty(), "{ty} without {path} should leave a gap");
    }
}

#[test]
fn the_seeds_raw_forms_are_read() {
    let cluster = deployed::settings(registry::schema("AWS::RDS::DBCluster").unwrap());
    for (path, role) in [
        ("StorageEncrypted", Role::AtRest),
        ("DeletionProtection", Role::Protection),
        ("BackupRetentionPeriod", Role::Backups),
        ("PubliclyAccessible", Role::Public),
    ] {
        assert!(cluster.iter().any(|s| s.path == path && s.role == role), "DBCluster {path}: {cluster:?}");
    }
    let cache = registry::schema("AWS::ElastiCache::CacheCluster").unwrap();
    assert!(deployed::holds_data(cache));
    assert!(matches!(deployed::at_rest(cache), deployed::AtRest::Never(_)));
    assert_eq!(deployed::policy_properties(registry::schema("AWS::S3::BucketPolicy").unwrap()), ["PolicyDocument"]);
}

#[test]
fn the_coverage_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/COVERAGE.md");
    let table = deployed::coverage_table(kind_of);
    if std::env::var_os("TAP_BLESS").is_some() {
        std::fs::write(path, &table).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == table, "docs/COVERAGE.md is stale: run `TAP_BLESS=1 cargo test -p tap-core --test coverage`");
}
