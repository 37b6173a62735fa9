//! `Cache`: an ElastiCache Redis (or Valkey) replication group in private subnets,
//! encrypted at rest and in transit.

use serde_json::json;

use super::*;
use crate::synth::{get_att, subnets, sub, Json};

pub const SPEC: Spec = Spec {
    word: "Cache",
    noun: "cache",
    props: &[
        opt("name", Ty::Name),
        req("engine", Ty::Word(&["Redis", "Valkey"])),
        req("engine_version", Ty::Str),
        req("node_type", Ty::Str),
        req("vpc", Ty::Ref(&[Kind::Vpc])),
        req("subnets", SUBNETS),
        req("security_group", Ty::Ref(&[Kind::SecurityGroup])),
        opt("snapshot_retention", Ty::Int { min: 0, max: 35 }),
        opt("at_rest_encryption", Ty::Bool),
        opt("transit_encryption", Ty::Bool),
        opt("removal", REMOVAL),
        opt("port", Ty::Int { min: 1, max: 65535 }),
    ],
    attrs: &["endpoint", "port"],
    access: &[],
    naming: Some(Naming { min: 1, max: 40, extra: "-", lowercase: true, letter_first: true }),
    service: None,
    vpc_port: Some(6379),
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let (vi, vpc) = cx.target(r, "vpc");
    let vpc_lid = cx.lid(vi).to_owned();
    let sg = cx.target_lid(r, "security_group");
    let group = format!("{l}SubnetGroup");
    cx.add(
        &group,
        "AWS::ElastiCache::SubnetGroup",
        json!({
            "Description": format!("Subnets of {}", r.label()),
            "SubnetIds": subnets(&vpc_lid, vpc, r.word("subnets").unwrap_or("Private")),
        }),
    );
    cx.add_stateful(
        &l,
        "AWS::ElastiCache::ReplicationGroup",
        json!({
            "ReplicationGroupId": sub(r.str("name").unwrap_or_default()),
            "ReplicationGroupDescription": format!("{} of stack {}", r.label(), cx.stack.name),
            "Engine": r.word("engine").unwrap_or("Redis").to_lowercase(),
            "EngineVersion": r.str("engine_version").unwrap_or_default(),
            "CacheNodeType": r.str("node_type").unwrap_or_default(),
            "NumCacheClusters": 1,
            "AutomaticFailoverEnabled": false,
            "Port": r.int("port").unwrap_or(6379),
            "AtRestEncryptionEnabled": r.bool("at_rest_encryption").unwrap_or(false),
            "TransitEncryptionEnabled": r.bool("transit_encryption").unwrap_or(false),
            "SnapshotRetentionLimit": r.int("snapshot_retention").unwrap_or(0),
            "CacheSubnetGroupName": crate::synth::r#ref(&group),
            "SecurityGroupIds": [get_att(&sg, "GroupId")],
        }),
        r,
    );
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "port" => get_att(lid, "PrimaryEndPoint.Port"),
        _ => get_att(lid, "PrimaryEndPoint.Address"),
    }
}
