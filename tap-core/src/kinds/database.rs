//! `Database`: an RDS PostgreSQL instance in private subnets and the schema file it is
//! created with. Its master password is generated and rotated by RDS (a secret RDS owns,
//! never written down); only the setup function of its `DatabaseUser`s reads it. Functions
//! log in as a `DatabaseUser`, never as the master.

use super::prelude::*;
use super::security_group::SecurityGroup;
use super::vpc::Vpc;

words! {
    pub enum Engine { Postgres }
}

props! {
    pub struct Database {
        name: opt Name,
        engine: req Engine,
        engine_version: req String,
        instance_class: req String,
        allocated_storage: req Int<20, 65536>,
        database_name: req String,
        vpc: req Ref<Vpc>,
        subnets: req Subnets,
        security_group: req Ref<SecurityGroup>,
        /// The master user, whose password RDS generates and rotates. Default `postgres`.
        master_username: opt String,
        /// Default by lifecycle: 0 when ephemeral, 7 when durable.
        backup_retention_days: opt Int<0, 35>,
        /// Default by lifecycle: off when ephemeral, on when durable.
        deletion_protection: opt bool,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
        /// Default `false`; TAP-ENC-001 asks for `true`.
        storage_encrypted: opt bool,
        schema: opt RelPath,
        /// Default 5432.
        port: opt Int<1150, 65535>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[
        attr("endpoint", AttrExpr::GetAtt("Endpoint.Address")),
        port_attr("port", AttrExpr::GetAtt("Endpoint.Port")),
        attr("name", AttrExpr::Own),
        // The ARN of the secret RDS keeps the master password in: for a setup function only.
        guarded_attr("master_secret", AttrExpr::GetAtt("MasterUserSecret.SecretArn"), "admin", &super::secret::SERVICE),
    ],
    // `admin` reads the master password; TAP-IAM-004 allows it only to the `setup` function
    // of the database's users. Its ARN is the master secret's, not the instance's.
    levels: &[LevelDef { name: "admin", actions: &["secretsmanager:GetSecretValue"], arns: ArnShape::Arn, satisfies_env: false }],
    arn: Some(AttrExpr::GetAtt("MasterUserSecret.SecretArn")),
    naming: Some(Naming { min: 1, max: 63, extra: "-", lowercase: true, letter_first: true }),
    keep: Some(crate::cfn::DeletionPolicy::Snapshot),
    exported: Exported::Always,
    cfn_type: Some("AWS::RDS::DBInstance"),
    ..Spec::new("Database", "database", "An RDS PostgreSQL instance in private subnets, with its schema file.", <Database as super::decode::Decode>::PROPS)
};

impl Database {
    pub fn port(&self) -> i64 {
        self.port.as_deref().map_or(5432, |p| p.get())
    }
    pub fn master_username(&self) -> &str {
        self.master_username.as_deref().map_or("postgres", String::as_str)
    }
}

impl Engine {
    /// RDS's name for it.
    pub fn cfn(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
        }
    }
}

/// The PostgreSQL logs RDS exports to CloudWatch Logs.
const LOG_EXPORTS: &[&str] = &["postgresql", "upgrade"];

impl Hooks for Database {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let on = on(&self.storage_encrypted);
        vec![Encrypted::of(&self.storage_encrypted, i, on, "has unencrypted storage", "write `storage_encrypted: true`")]
    }
    fn version(&self) -> Option<Version<'_>> {
        Some(Version::Rds { engine: self.engine.cfn(), version: &self.engine_version })
    }
    /// The version and class RDS knows (cfn-lint's data), so a stack that compiles does not
    /// meet E3025 (unknown class). A deprecated version (W3691) is TAP-VER-001's.
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let engine = self.engine.cfn();
        let label = &stack.node(i).label;
        if let Some((why, current)) = crate::aws_data::service_data::rds_version(engine, &self.engine_version) {
            out.push(Finding::dsl(Dsl::WrongType, self.engine_version.loc.clone(), format!("{label}: {why}"), format!("use a current version, e.g. {}", crate::aws_data::service_data::quoted(&current))));
        }
        if let Some((why, near)) = crate::aws_data::service_data::rds_class(engine, &self.instance_class) {
            out.push(Finding::dsl(Dsl::WrongType, self.instance_class.loc.clone(), format!("{label}: {why}"), near.map_or("use an instance class RDS offers for the engine, e.g. \"db.t4g.medium\"".to_owned(), |n| format!("did you mean \"{n}\"?"))));
        }
    }

    fn placement(&self) -> Option<Placement<'_>> {
        Some(Placement { vpc: self.vpc.index, subnets: &self.subnets, security_group: self.security_group.index, port: self.port() })
    }
    /// `database.name` is the database inside the instance, known without deploying.
    fn own_attr(&self, _cx: &SynthCx<'_>, _attr: &AttrDef, _lid: &str) -> Json {
        json!(self.database_name.value)
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let vpc_lid = cx.lid_of(&self.vpc);
        let subnets = cx.stack.get(&self.vpc).subnets(&vpc_lid, *self.subnets);
        let sg = cx.lid_of(&self.security_group);
        let label = cx.stack.node(i).label.clone();
        let group = format!("{l}SubnetGroup");
        cx.out.add(&group, "AWS::RDS::DBSubnetGroup", json!({ "DBSubnetGroupDescription": format!("Subnets of {label}"), "SubnetIds": subnets }));
        // Derived from the lifecycle unless written: a kept database is protected from
        // deletion, keeps a week of automated backups after it is gone, and runs with a
        // synchronous standby in a second zone (no committed write is lost with one zone).
        let keeps = cx.keeps(i);
        let protected = self.deletion_protection.as_deref().copied().unwrap_or(keeps);
        let backup_days = self.backup_retention_days.as_deref().map_or(if keeps { crate::cfn::DURABLE_BACKUP_DAYS } else { 0 }, |d| d.get());
        // The server's log and its upgrade log, exported to log groups the stack creates
        // under the names RDS writes to (before the instance, so RDS does not create them
        // outside the stack), deleted or kept with the database.
        let policy = if keeps { crate::cfn::DeletionPolicy::Retain } else { crate::cfn::DeletionPolicy::Delete };
        let mut exported = Vec::new();
        for log in LOG_EXPORTS {
            let group = format!("{l}{}Logs", crate::cfn::pascal(log));
            let name = sub(&format!("/aws/rds/instance/{}/{log}", written(&self.name)));
            cx.out.add_with_policy(&group, "AWS::Logs::LogGroup", json!({ "LogGroupName": name, "RetentionInDays": 30 }), policy);
            exported.push(group);
        }
        let mut props = json!({
                "DBInstanceIdentifier": sub(written(&self.name)),
                "Engine": self.engine.cfn(),
                "EngineVersion": self.engine_version.value,
                "DBInstanceClass": self.instance_class.value,
                "AllocatedStorage": self.allocated_storage.get().to_string(),
                "StorageType": "gp3",
                "StorageEncrypted": self.storage_encrypted.as_deref().copied().unwrap_or(false),
                "DBName": self.database_name.value,
                "Port": self.port().to_string(),
                "MasterUsername": self.master_username(),
                // RDS generates the master password into a secret it owns and rotates it
                // (every 7 days by default): no password is ever in the template or a
                // stack-owned secret, and nothing but a setup function can read it.
                "ManageMasterUserPassword": true,
                "DBSubnetGroupName": r#ref(&group),
                "VPCSecurityGroups": [get_att(&sg, "GroupId")],
                "PubliclyAccessible": false,
                "MultiAZ": keeps,
                "BackupRetentionPeriod": backup_days,
                "DeleteAutomatedBackups": !keeps,
                "DeletionProtection": protected,
                "AutoMinorVersionUpgrade": true,
                "EnableCloudwatchLogsExports": LOG_EXPORTS,
                // IAM authentication on: a `DatabaseUser` is granted `rds_iam`, and a function
                // logs in as it with a token minted from its `rds-db:connect` grant on that one
                // user (`user.connect`). No password of a function's exists to leak or rotate.
                "EnableIAMDatabaseAuthentication": true,
            });
        // Enhanced monitoring (OS metrics every minute) for a kept database: it writes to
        // the account's `RDSOSMetrics` log group, which RDS creates and no stack owns, so an
        // ephemeral stack would leave data behind (the guide's checkov list says so).
        if keeps {
            let role = format!("{l}MonitoringRole");
            let metrics = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:RDSOSMetrics";
            cx.out.add(&role, "AWS::IAM::Role", json!({
                "AssumeRolePolicyDocument": service_trust("monitoring.rds.amazonaws.com", true),
                "Policies": role_policies(vec![("enhanced-monitoring", vec![
                    json!({ "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], "Resource": { "Fn::Sub": metrics } }),
                    json!({ "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
                      "Resource": { "Fn::Sub": format!("{metrics}:log-stream:*") } }),
                ])]),
            }));
            props["MonitoringInterval"] = json!(60);
            props["MonitoringRoleArn"] = get_att(&role, "Arn");
        }
        cx.add_data(i, &l, "AWS::RDS::DBInstance", props);
        let after: Vec<&str> = exported.iter().map(String::as_str).collect();
        cx.out.depends_on(&l, &after);
    }
}
