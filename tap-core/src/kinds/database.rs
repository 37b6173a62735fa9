//! `Database`: an RDS PostgreSQL instance in private subnets, credentials from a `Secret`
//! (resolved by CloudFormation, never written down), and the schema file it is created with.

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, sub, subnets, Json};

pub const SPEC: Spec = Spec {
    word: "Database",
    noun: "database",
    props: &[
        opt("name", Ty::Name),
        req("engine", Ty::Word(&["Postgres"])),
        req("engine_version", Ty::Str),
        req("instance_class", Ty::Str),
        req("allocated_storage", Ty::Int { min: 20, max: 65536 }),
        req("database_name", Ty::Str),
        req("vpc", Ty::Ref(&[Kind::Vpc])),
        req("subnets", SUBNETS),
        req("security_group", Ty::Ref(&[Kind::SecurityGroup])),
        req("credentials", Ty::Ref(&[Kind::Secret])),
        opt("backup_retention_days", Ty::Int { min: 0, max: 35 }),
        opt("deletion_protection", Ty::Bool),
        opt("removal", REMOVAL),
        opt("storage_encrypted", Ty::Bool),
        opt("schema", Ty::Path),
        opt("port", Ty::Int { min: 1150, max: 65535 }),
    ],
    attrs: &["endpoint", "port", "name"],
    access: &[],
    naming: Some(Naming { min: 1, max: 63, extra: "-", lowercase: true, letter_first: true }),
    service: None,
    vpc_port: Some(5432),
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let (vi, vpc) = cx.target(r, "vpc");
    let vpc_lid = cx.lid(vi).to_owned();
    let sg = cx.target_lid(r, "security_group");
    let secret = cx.target_lid(r, "credentials");
    let group = format!("{l}SubnetGroup");
    cx.add(
        &group,
        "AWS::RDS::DBSubnetGroup",
        json!({
            "DBSubnetGroupDescription": format!("Subnets of {}", r.label()),
            "SubnetIds": subnets(&vpc_lid, vpc, r.word("subnets").unwrap_or("Private")),
        }),
    );
    let resolve = |key: &str| json!({ "Fn::Sub": format!("{{{{resolve:secretsmanager:${{{secret}}}:SecretString:{key}}}}}") });
    let retention = r.int("backup_retention_days").unwrap_or(0);
    cx.add_stateful(
        &l,
        "AWS::RDS::DBInstance",
        json!({
            "DBInstanceIdentifier": sub(r.str("name").unwrap_or_default()),
            "Engine": "postgres",
            "EngineVersion": r.str("engine_version").unwrap_or_default(),
            "DBInstanceClass": r.str("instance_class").unwrap_or_default(),
            "AllocatedStorage": r.int("allocated_storage").unwrap_or(20).to_string(),
            "StorageType": "gp3",
            "StorageEncrypted": r.bool("storage_encrypted").unwrap_or(false),
            "DBName": r.str("database_name").unwrap_or_default(),
            "Port": r.int("port").unwrap_or(5432).to_string(),
            "MasterUsername": resolve("username"),
            "MasterUserPassword": resolve("password"),
            "DBSubnetGroupName": r#ref(&group),
            "VPCSecurityGroups": [get_att(&sg, "GroupId")],
            "PubliclyAccessible": false,
            "MultiAZ": false,
            "BackupRetentionPeriod": retention,
            "DeleteAutomatedBackups": true,
            "DeletionProtection": r.bool("deletion_protection").unwrap_or(false),
            "AutoMinorVersionUpgrade": true,
        }),
        r,
    );
    // Completes the secret with host, port and engine, so a client needs only the secret.
    cx.add(
        format!("{l}SecretAttachment"),
        "AWS::SecretsManager::SecretTargetAttachment",
        json!({ "SecretId": r#ref(&secret), "TargetId": r#ref(&l), "TargetType": "AWS::RDS::DBInstance" }),
    );
}

pub fn attr(_cx: &Cx, lid: &str, r: &Resource, attr: &str) -> Json {
    match attr {
        "port" => get_att(lid, "Endpoint.Port"),
        "name" => json!(r.str("database_name").unwrap_or_default()),
        _ => get_att(lid, "Endpoint.Address"),
    }
}
