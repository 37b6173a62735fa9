//! What a resource written as raw CloudFormation says about its data and about who can reach
//! it, read off its properties: the table the rules judge raw resources by, so that a check
//! written for a kind also reaches the same CloudFormation written by hand.
//!
//! The table is derived from the registry schemas the crate ships (`registry`): a property
//! is a setting by its name (`StorageEncrypted`, `DeletionProtection`,
//! `BackupRetentionPeriod`, `PubliclyAccessible`, ..., at any depth), read as the schema types
//! it. [`CURATED`] adds what the names do not say: which types hold data beyond cfn-lint's
//! stateful list, a type that cannot encrypt (or always does), settings whose words vary
//! (`DeletionProtection: "ACTIVE"`), and properties that look like a setting but are not one,
//! each with its reason. `tap-core/tests/coverage.rs` holds it complete: a data-holding or
//! protection property no rule reads fails it, and `docs/COVERAGE.md` is generated from it.
//!
//! A lifecycle setting (protection, backups, recovery, snapshots) that is left out is
//! written by tap for each lifecycle, as it is for kinds ([`derive`]); one that is written
//! is judged against every lifecycle the stack supports.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value as Json;

use super::registry::{self, TypeSchema};
use crate::model::{At, Loc, Seg, Value};

/// What a setting protects, and so which rule reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Encrypts the data at rest (TAP-ENC-001).
    AtRest,
    /// Encrypts it on the wire (TAP-ENC-001).
    InTransit,
    /// Refuses a delete: off when ephemeral (TAP-DESTROY-003); on when durable, for a type
    /// that holds data (TAP-KEEP-002).
    Protection,
    /// Days of automated backups: the type's least when ephemeral (TAP-DESTROY-004), a week
    /// when durable (TAP-KEEP-003).
    Backups,
    /// Point-in-time recovery, or a flag that keeps backups: off when ephemeral
    /// (TAP-DESTROY-004), on when durable (TAP-KEEP-003).
    Recovery,
    /// Days of automatic snapshots: none when ephemeral (TAP-DESTROY-005), a week when
    /// durable (TAP-KEEP-003).
    Snapshots,
    /// Reachable from the internet (TAP-PUBLIC-002).
    Public,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::AtRest,
        Role::InTransit,
        Role::Protection,
        Role::Backups,
        Role::Recovery,
        Role::Snapshots,
        Role::Public,
    ];

    /// The rules that read a setting of this role, for the coverage table.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Role::AtRest | Role::InTransit => &["TAP-ENC-001"],
            Role::Protection => &["TAP-DESTROY-003", "TAP-KEEP-002"],
            Role::Backups | Role::Recovery => &["TAP-DESTROY-004", "TAP-KEEP-003"],
            Role::Snapshots => &["TAP-DESTROY-005", "TAP-KEEP-003"],
            Role::Public => &["TAP-PUBLIC-002"],
        }
    }
    /// Whether tap writes it per lifecycle when it is left out.
    fn follows_lifecycle(self) -> bool {
        matches!(self, Role::Protection | Role::Backups | Role::Recovery | Role::Snapshots)
    }
}

/// How a written value reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Read {
    /// `true` is on.
    Flag,
    /// A word: `off` is off, any other word on; tap writes `on`.
    Word { on: &'static str, off: &'static str },
    /// A number of days; `min` is the least the type accepts.
    Days { min: i64 },
}

/// One property of a type that a rule reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// From `Properties`: `BackupRetentionPeriod`, `Replicas[].DeletionProtectionEnabled`.
    pub path: String,
    pub role: Role,
    pub read: Read,
}

/// What a value says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum State {
    On,
    Off,
    Days(i64),
    /// Not written.
    Absent,
    /// Known only at deployment (a reference), or written wrong (reported already).
    Unknown,
}

impl State {
    pub fn on(self) -> bool {
        self == State::On
    }
}

/// A setting as one resource writes it (once per element, under a list).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub state: State,
    /// The value's location, or its parent's (the resource's) when it is not written.
    pub loc: Loc,
}

/// How a type's data at rest is encrypted, when its properties do not say it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AtRest {
    /// By its settings of role [`Role::AtRest`] (one must be on).
    Settings,
    /// Always, by the service: nothing to write.
    Always(&'static str),
    /// Never: the type cannot encrypt its data, so it cannot hold it. The fix.
    Never(&'static str),
}

/// What the table knows of one type beyond what its property names say.
pub struct Curated {
    pub ty: &'static str,
    /// Holds data, though cfn-lint's stateful list leaves it out.
    pub data: bool,
    pub at_rest: Option<AtRest>,
    /// Settings whose names or words the derivation cannot read.
    pub settings: &'static [(&'static str, Role, Read)],
    /// Properties that look like a setting and are not one (or cannot be judged), and why.
    pub ignore: &'static [(&'static str, &'static str)],
}

const fn cur(ty: &'static str) -> Curated {
    Curated { ty, data: false, at_rest: None, settings: &[], ignore: &[] }
}

const SERVICE_ENCRYPTS: &str = "the service encrypts it at rest, always";

/// The curated part of the table, by type.
pub const CURATED: &[Curated] = &[
    Curated { at_rest: Some(AtRest::Never("it cannot encrypt at rest (a Redis `CacheCluster` has no such setting, and Memcached none at all): declare a `Cache` (an encrypted replication group with AUTH) instead")), ..cur("AWS::ElastiCache::CacheCluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::ElastiCache::ServerlessCache") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::MemoryDB::Cluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), settings: &[("BackupRetentionPeriod", Role::Backups, Read::Days { min: 1 })], ..cur("AWS::DocDBElastic::Cluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::NeptuneGraph::Graph") },
    Curated {
        data: true,
        at_rest: Some(AtRest::Always("a collection is encrypted by its encryption security policy, which the service requires")),
        settings: &[("DeletionProtection", Role::Protection, Read::Word { on: "ENABLED", off: "DISABLED" })],
        ..cur("AWS::OpenSearchServerless::Collection")
    },
    Curated { data: true, ..cur("AWS::DAX::Cluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::MSK::Cluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::Cassandra::Table") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::DSQL::Cluster") },
    Curated { data: true, at_rest: Some(AtRest::Always("a global cluster's data lives in its member clusters, which are judged")), ..cur("AWS::RDS::GlobalCluster") },
    Curated { data: true, at_rest: Some(AtRest::Always("a global cluster's data lives in its member clusters, which are judged")), ..cur("AWS::DocDB::GlobalCluster") },
    Curated { data: true, at_rest: Some(AtRest::Always("a global cluster's data lives in its member clusters, which are judged")), ..cur("AWS::Neptune::GlobalCluster") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::CloudTrail::EventDataStore") },
    Curated {
        data: true,
        at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)),
        settings: &[("BackupRetention", Role::Recovery, Read::Flag)],
        ..cur("AWS::Lightsail::Database")
    },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::Timestream::InfluxDBInstance") },
    Curated { data: true, at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::Timestream::InfluxDBCluster") },
    Curated {
        data: true,
        at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)),
        ignore: &[
            ("FinalSnapshotRetentionPeriod", "kept only for a final snapshot, which is taken only when `FinalSnapshotName` is written"),
            ("SnapshotCopyConfigurations[].SnapshotRetentionPeriod", "copies of snapshots to another region, which a stack asks for on purpose"),
        ],
        ..cur("AWS::RedshiftServerless::Namespace")
    },
    Curated { at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::Backup::BackupVault") },
    Curated { at_rest: Some(AtRest::Always("a nested stack holds no data itself: its resources are judged in their own stack")), ..cur("AWS::CloudFormation::Stack") },
    Curated {
        at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)),
        settings: &[("DeletionProtection", Role::Protection, Read::Word { on: "ACTIVE", off: "INACTIVE" })],
        ..cur("AWS::Cognito::UserPool")
    },
    Curated { at_rest: Some(AtRest::Always("an instance's data lives in its cluster, which is judged")), ..cur("AWS::DocDB::DBInstance") },
    Curated { at_rest: Some(AtRest::Always("an instance's data lives in its cluster, which is judged")), ..cur("AWS::Neptune::DBInstance") },
    Curated { at_rest: Some(AtRest::Always("its data is encrypted by the security configuration the cluster names, which is a resource of its own")), ..cur("AWS::EMR::Cluster") },
    Curated { at_rest: Some(AtRest::Always("a key is the encryption; what it protects is judged")), ..cur("AWS::KMS::Key") },
    Curated { at_rest: Some(AtRest::Always("an account holds no data of the stack's")), ..cur("AWS::Organizations::Account") },
    Curated { at_rest: Some(AtRest::Never("SimpleDB cannot encrypt at rest: declare a `Table` (DynamoDB) instead")), ..cur("AWS::SDB::Domain") },
    Curated { at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::FSx::FileSystem") },
    // AWS Backup's daily backups of a file system outlive it.
    Curated { settings: &[("BackupPolicy.Status", Role::Recovery, Read::Word { on: "ENABLED", off: "DISABLED" })], ..cur("AWS::EFS::FileSystem") },
    Curated { at_rest: Some(AtRest::Always(SERVICE_ENCRYPTS)), ..cur("AWS::QLDB::Ledger") },
    Curated { at_rest: Some(AtRest::Always("secrets are always encrypted with a KMS key")), ..cur("AWS::SecretsManager::Secret") },
    Curated { at_rest: Some(AtRest::Always("objects are always encrypted (SSE-S3 unless told otherwise)")), ..cur("AWS::S3::Bucket") },
    Curated {
        settings: &[("DeletionProtection", Role::Protection, Read::Word { on: "prevent-all-deletion", off: "none" })],
        ..cur("AWS::AutoScaling::AutoScalingGroup")
    },
    Curated {
        settings: &[("DeletionProtection.Mode", Role::Protection, Read::Word { on: "ENABLED", off: "DISABLED" })],
        ignore: &[("DeletionProtection", "an object: its `Mode` is the setting")],
        ..cur("AWS::VerifiedPermissions::PolicyStore")
    },
    Curated {
        settings: &[("AutoScalingGroupProvider.ManagedTerminationProtection", Role::Protection, Read::Word { on: "ENABLED", off: "DISABLED" })],
        ..cur("AWS::ECS::CapacityProvider")
    },
    Curated { ignore: &[("DeletionProtectionCheck", "guards deleting a configuration a deployment is using, not the stack's delete")], ..cur("AWS::AppConfig::ConfigurationProfile") },
    Curated { ignore: &[("DeletionProtectionCheck", "guards deleting an environment a deployment is using, not the stack's delete")], ..cur("AWS::AppConfig::Environment") },
    Curated {
        ignore: &[
            ("DataSourceConfiguration.ManagedKnowledgeBaseConnectorConfiguration.DeletionProtectionConfiguration", "protects the knowledge base's documents from a sync that deletes too many, not the resource"),
            ("DataSourceConfiguration.ManagedKnowledgeBaseConnectorConfiguration.DeletionProtectionConfiguration.DeletionProtectionStatus", "protects documents from a sync, not the resource"),
            ("DataSourceConfiguration.ManagedKnowledgeBaseConnectorConfiguration.DeletionProtectionConfiguration.DeletionProtectionThreshold", "protects documents from a sync, not the resource"),
        ],
        ..cur("AWS::Bedrock::DataSource")
    },
    Curated { ignore: &[("BackupRetentionPolicy", "CloudHSM keeps a cluster's backups by its own policy (7 to 379 days): none can be zero")], ..cur("AWS::CloudHSM::Cluster") },
    Curated { ignore: &[("TableOptimizerConfiguration.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays", "Iceberg table versions, not backups")], ..cur("AWS::Glue::TableOptimizer") },
    Curated { ignore: &[("ManualSnapshotRetentionPeriod", "manual snapshots only: a deployment takes none")], ..cur("AWS::Redshift::Cluster") },
    Curated { ignore: &[("ManualSnapshotRetentionPeriod", "a snapshot the stack declares on purpose")], ..cur("AWS::Redshift::Snapshot") },
    Curated { ignore: &[("SnapshotRetentionLimit", "the limit of a cluster restored from this snapshot, which is judged where it is declared")], ..cur("AWS::ElastiCache::Snapshot") },
    Curated { ignore: &[("ClusterConfiguration.SnapshotRetentionLimit", "the configuration of the cluster the snapshot was taken of (read-only)")], ..cur("AWS::MemoryDB::Snapshot") },
    Curated { ignore: &[("Workgroup.PubliclyAccessible", "read-only: CloudFormation reports it")], ..cur("AWS::RedshiftServerless::Workgroup") },
    Curated { ignore: &[("PubliclyAccessible", "a backup is not an endpoint: the flag configures an instance restored from it")], ..cur("AWS::Timestream::InfluxDBBackup") },
];

pub fn curated(ty: &str) -> Option<&'static Curated> {
    CURATED.iter().find(|c| c.ty == ty)
}

/// Setting names the derivation knows (the end of a path), with their role.
const BY_NAME: &[(&str, Role)] = &[
    ("StorageEncrypted", Role::AtRest),
    ("Encrypted", Role::AtRest),
    ("AtRestEncryptionEnabled", Role::AtRest),
    ("EncryptionAtRestOptions.Enabled", Role::AtRest),
    ("SSESpecification.SSEEnabled", Role::AtRest),
    ("TransitEncryptionEnabled", Role::InTransit),
    ("NodeToNodeEncryptionOptions.Enabled", Role::InTransit),
    ("DomainEndpointOptions.EnforceHTTPS", Role::InTransit),
    ("TLSEnabled", Role::InTransit),
    ("DeletionProtection", Role::Protection),
    ("DeletionProtectionEnabled", Role::Protection),
    ("TerminationProtectionEnabled", Role::Protection),
    ("DisableApiTermination", Role::Protection),
    ("BackupRetentionPeriod", Role::Backups),
    ("AutomaticBackupRetentionDays", Role::Backups),
    ("AutomatedSnapshotRetentionPeriod", Role::Backups),
    ("PointInTimeRecoveryEnabled", Role::Recovery),
    ("SnapshotRetentionLimit", Role::Snapshots),
    ("PubliclyAccessible", Role::Public),
    ("IsPubliclyAccessible", Role::Public),
];

/// `a.b[].c` ends with the segments of `name` (`b.c`, or `c`).
fn ends_with(path: &str, name: &str) -> bool {
    let clean = path.replace("[]", "");
    clean == name || clean.ends_with(&format!(".{name}"))
}

/// The settings of a type: derived from its schema, then the curated ones.
pub fn settings(schema: &'static TypeSchema) -> &'static [Setting] {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static [Setting]>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().ok().and_then(|c| c.get(schema.ty).copied()) {
        return s;
    }
    let curated = curated(schema.ty);
    let ignored = |p: &str| {
        curated.is_some_and(|c| c.ignore.iter().any(|(i, _)| *i == p) || c.settings.iter().any(|(s, _, _)| *s == p))
    };
    let mut out = Vec::new();
    for (path, shape) in schema.paths() {
        if ignored(&path) || schema.read_only.contains(&path) {
            continue;
        }
        let Some(&(_, role)) = BY_NAME.iter().find(|(name, _)| ends_with(&path, name)) else { continue };
        let read = match shape.single_type() {
            Some("boolean") => Read::Flag,
            Some("integer" | "number") => Read::Days { min: shape.minimum_integer().unwrap_or(0).max(0) },
            _ => continue,
        };
        out.push(Setting { path, role, read });
    }
    for &(path, role, read) in curated.map(|c| c.settings).unwrap_or_default() {
        out.push(Setting { path: path.to_owned(), role, read });
    }
    let leaked: &'static [Setting] = Box::leak(out.into_boxed_slice());
    if let Ok(mut c) = cache.lock() {
        c.insert(schema.ty, leaked);
    }
    leaked
}

/// The type holds data: cfn-lint's stateful types and the curated ones.
pub fn holds_data(schema: &TypeSchema) -> bool {
    schema.stateful || curated(schema.ty).is_some_and(|c| c.data)
}

/// How the type's data at rest is encrypted (for a type that holds data).
pub fn at_rest(schema: &'static TypeSchema) -> AtRest {
    curated(schema.ty).and_then(|c| c.at_rest).unwrap_or(AtRest::Settings)
}

/// The properties that carry a resource policy (an IAM policy document), by type.
pub fn policy_properties(schema: &TypeSchema) -> Vec<&'static str> {
    if NOT_RESOURCE_POLICIES.iter().any(|(t, _)| *t == schema.ty) {
        return Vec::new();
    }
    POLICY_NAMES.iter().copied().filter(|n| schema.property(n).is_some()).collect()
}

/// Top-level property names that hold an IAM policy document.
pub const POLICY_NAMES: &[&str] = &[
    "PolicyDocument",
    "KeyPolicy",
    "AccessPolicies",
    "AccessPolicy",
    "ResourcePolicy",
    "RepositoryPolicyText",
    "FileSystemPolicy",
    "Policy",
    "PolicyText",
    "ResourcePolicyDocument",
];

/// Types with a property of those names that is not a resource policy, and why.
pub const NOT_RESOURCE_POLICIES: &[(&str, &str)] = &[
    (
        "AWS::EC2::VPCEndpoint",
        "an endpoint policy limits what may pass through the endpoint from inside the VPC: `*` there is no one outside",
    ),
    ("AWS::EKS::AccessEntry", "Kubernetes access policies, named by ARN"),
    ("AWS::EKS::PodIdentityAssociation", "a session policy that can only narrow the pod's role"),
    ("AWS::Transfer::User", "a session policy that can only narrow the user's role"),
    ("AWS::IoT::Policy", "a device policy, attached to certificates: it has no principal"),
    ("AWS::OpenSearchServerless::LifecyclePolicy", "data retention rules, not access"),
    ("AWS::OpenSearchServerless::SecurityPolicy", "encryption and network rules, judged by the service"),
    ("AWS::ResilienceHub::ResiliencyPolicy", "recovery objectives, not access"),
    ("AWS::NetworkManager::CoreNetwork", "a network policy, not access"),
    ("AWS::Logs::AccountPolicy", "data protection and subscription rules, not access"),
    ("AWS::EC2::VerifiedAccessEndpoint", "a Cedar policy judged by Verified Access, not IAM"),
    ("AWS::EC2::VerifiedAccessGroup", "a Cedar policy judged by Verified Access, not IAM"),
    ("AWS::IAM::Policy", "IAM types are refused: tap writes IAM from grants"),
];

/// Types that grant one principal access through properties (`Principal`), and the
/// properties that restrict who may use it.
pub const PERMISSIONS: &[(&str, &[&str])] = &[
    ("AWS::Lambda::Permission", &["SourceArn", "SourceAccount", "PrincipalOrgID"]),
    ("AWS::Lambda::LayerVersionPermission", &["OrganizationId"]),
    ("AWS::Events::EventBusPolicy", &["Condition"]),
    ("AWS::Signer::ProfilePermission", &[]),
    ("AWS::ACMPCA::Permission", &["SourceAccount"]),
];

/// A reading of `setting` in a resource's properties: one per element under a list; none
/// when a parent that is not there makes the setting moot (a configuration of another file
/// system type).
pub fn read(props: &[(String, At<Value>)], malformed: &[String], resource: usize, setting: &Setting) -> Vec<Reading> {
    let mut segs = setting.path.split('.');
    let first = segs.next().unwrap_or_default();
    let (key, list) = first.strip_suffix("[]").map_or((first, false), |k| (k, true));
    if malformed.iter().any(|m| m == key) {
        return vec![Reading { state: State::Unknown, loc: Loc::resource(resource) }];
    }
    let rest: Vec<&str> = segs.collect();
    // Encryption left out is off, however deep its setting: the parent holds no choice.
    let whole = matches!(setting.role, Role::AtRest | Role::InTransit);
    match props.iter().find(|(k, _)| k == key) {
        None if rest.is_empty() || whole || CREATED_PARENTS.contains(&key) => {
            vec![Reading { state: State::Absent, loc: Loc::resource(resource) }]
        }
        None => Vec::new(),
        Some((_, v)) => {
            let mut out = Vec::new();
            walk(&v.value, &v.loc, list, &rest, setting.read, whole, &mut out);
            out
        }
    }
}

/// Parents tap creates to write a setting under them (the others hold a choice: an FSx
/// file system has one of four configurations).
const CREATED_PARENTS: &[&str] = &["PointInTimeRecoverySpecification", "BackupPolicy"];

fn walk(v: &Value, loc: &Loc, list: bool, rest: &[&str], read: Read, whole: bool, out: &mut Vec<Reading>) {
    if list {
        if let Value::List(items) = v {
            for (n, x) in items.iter().enumerate() {
                walk(x, &loc.push(Seg::Index(n)), false, rest, read, whole, out);
            }
        } else {
            out.push(Reading { state: State::Unknown, loc: loc.clone() });
        }
        return;
    }
    let Some((head, tail)) = rest.split_first() else {
        out.push(Reading { state: state(v, read), loc: loc.clone() });
        return;
    };
    let (key, list) = head.strip_suffix("[]").map_or((*head, false), |k| (k, true));
    match v {
        Value::Map(entries) => match entries.iter().find(|(k, _)| k == key) {
            Some((_, x)) => walk(x, &loc.push(Seg::Key(key.to_owned())), list, tail, read, whole, out),
            None if tail.is_empty() || whole || CREATED_PARENTS.contains(&key) => {
                out.push(Reading { state: State::Absent, loc: loc.clone() })
            }
            None => {}
        },
        _ => out.push(Reading { state: State::Unknown, loc: loc.clone() }),
    }
}

fn state(v: &Value, read: Read) -> State {
    match (read, v) {
        (Read::Flag, Value::Bool(b)) => {
            if *b {
                State::On
            } else {
                State::Off
            }
        }
        (Read::Word { off, .. }, Value::Str(s)) => {
            if s == off {
                State::Off
            } else {
                State::On
            }
        }
        (Read::Days { .. }, Value::Int(n)) => State::Days(*n),
        _ => State::Unknown,
    }
}

/// The value tap writes for a lifecycle setting left out, if any: off, none or the least
/// when ephemeral; on, or a week, when durable (`keep`) for a type that holds data.
pub fn lifecycle_value(setting: &Setting, keep: bool, data: bool) -> Option<Json> {
    if !setting.role.follows_lifecycle() {
        return None;
    }
    if keep && !data {
        return None;
    }
    Some(match (setting.read, keep) {
        (Read::Flag, keep) => Json::Bool(keep),
        (Read::Word { on, off }, keep) => Json::String(if keep { on } else { off }.to_owned()),
        (Read::Days { min }, false) => Json::from(if setting.role == Role::Snapshots { 0 } else { min }),
        (Read::Days { min }, true) => Json::from(min.max(crate::cfn::DURABLE_BACKUP_DAYS)),
    })
}

/// Writes the lifecycle settings a raw resource left out into its template properties, for
/// a durable deployment (`keep`) or an ephemeral one.
pub fn derive(schema: &'static TypeSchema, props: &mut serde_json::Map<String, Json>, keep: bool) {
    let data = holds_data(schema);
    for setting in settings(schema) {
        let Some(value) = lifecycle_value(setting, keep, data) else { continue };
        let segs: Vec<&str> = setting.path.split('.').collect();
        put(props, &segs, &value);
    }
}

fn put(obj: &mut serde_json::Map<String, Json>, segs: &[&str], value: &Json) {
    let Some((head, tail)) = segs.split_first() else { return };
    let (key, list) = head.strip_suffix("[]").map_or((*head, false), |k| (k, true));
    if tail.is_empty() {
        obj.entry(key.to_owned()).or_insert_with(|| value.clone());
        return;
    }
    if !obj.contains_key(key) && !list && CREATED_PARENTS.contains(&key) {
        obj.insert(key.to_owned(), Json::Object(Default::default()));
    }
    match obj.get_mut(key) {
        Some(Json::Object(inner)) if !list => put(inner, tail, value),
        Some(Json::Array(items)) if list => {
            for item in items {
                if let Json::Object(inner) = item {
                    put(inner, tail, value);
                }
            }
        }
        _ => {}
    }
}

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
                "{} {path}: no rule reads it (add it to deployed.rs, or ignore it with a reason)",
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
         Generated from `tap-core/src/aws_data/deployed.rs` and the registry schemas by \
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
