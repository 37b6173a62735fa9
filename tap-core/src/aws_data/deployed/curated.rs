//! What the registry's property names do not say, curated by hand with a reason each: which
//! types hold data beyond cfn-lint's stateful list, a type that cannot encrypt (or always
//! does), settings whose words vary, properties that look like a setting and are not one,
//! and the properties that hold (or look like, and are not) a resource policy.

use super::*;

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
