//! `Cache`: an ElastiCache Redis (or Valkey) replication group in private subnets,
//! encrypted at rest and in transit, with an AUTH token from a secret (`auth`).

use super::prelude::*;
use super::secret::Secret;
use super::security_group::SecurityGroup;
use super::vpc::Vpc;

words! {
    pub enum CacheEngine { Redis, Valkey }
}

props! {
    pub struct Cache {
        name: opt Name,
        engine: req CacheEngine,
        engine_version: req String,
        node_type: req String,
        vpc: req Ref<Vpc>,
        subnets: req Subnets,
        security_group: req Ref<SecurityGroup>,
        /// Days; default by lifecycle: 0 when ephemeral, 7 when durable.
        snapshot_retention: opt Int<0, 35>,
        at_rest_encryption: opt bool,
        transit_encryption: opt bool,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
        /// Default 6379.
        port: opt Int<1, 65535>,
        /// The secret whose `password` is the AUTH token every client must send
        /// (TAP-NET-004): CloudFormation reads it with a dynamic reference, so the token
        /// never appears in the template. Needs `transit_encryption: true`.
        auth: opt Ref<Secret>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("endpoint", AttrExpr::GetAtt("PrimaryEndPoint.Address")), port_attr("port", AttrExpr::GetAtt("PrimaryEndPoint.Port"))],
    naming: Some(Naming { min: 1, max: 40, extra: "-", lowercase: true, letter_first: true }),
    keep: Some(crate::cfn::DeletionPolicy::Snapshot),
    exported: Exported::Always,
    cfn_type: Some("AWS::ElastiCache::ReplicationGroup"),
    ..Spec::new("Cache", "cache", "An ElastiCache Redis or Valkey replication group in private subnets.", <Cache as super::decode::Decode>::PROPS)
};

impl Cache {
    pub fn port(&self) -> i64 {
        self.port.as_deref().map_or(6379, |p| p.get())
    }
}

impl CacheEngine {
    /// ElastiCache's name for it.
    pub fn cfn(self) -> &'static str {
        match self {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
        }
    }
}

impl Hooks for Cache {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        vec![
            Encrypted::of(&self.at_rest_encryption, i, on(&self.at_rest_encryption), "is not encrypted at rest", "write `at_rest_encryption: true`"),
            Encrypted::of(&self.transit_encryption, i, on(&self.transit_encryption), "is not encrypted in transit", "write `transit_encryption: true`"),
        ]
    }
    /// The version and node type ElastiCache accepts (cfn-lint's data).
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        if let Some((why, current)) = crate::aws_data::service_data::cache_version(self.engine.cfn(), &self.engine_version) {
            out.push(Finding::dsl(Dsl::WrongType, self.engine_version.loc.clone(), format!("{label}: {why}"), format!("use a current version, e.g. {}", crate::aws_data::service_data::quoted(&current))));
        }
        if let Some((why, near)) = crate::aws_data::service_data::cache_node_type(&self.node_type) {
            out.push(Finding::dsl(Dsl::WrongType, self.node_type.loc.clone(), format!("{label}: {why}"), near.map_or("use a node type ElastiCache offers, e.g. \"cache.t4g.micro\"".to_owned(), |n| format!("did you mean \"{n}\"?"))));
        }
        // ElastiCache refuses '/', '"' and '@' in an AUTH token, and generated passwords
        // include them unless punctuation is excluded.
        if let Some(auth) = &self.auth {
            if let Some(secret) = Secret::from_index(stack, auth.index) {
                if secret.exclude_punctuation.as_ref().is_some_and(|p| !p.value) {
                    out.push(Finding::dsl(
                        Dsl::WrongType,
                        auth.loc.clone(),
                        format!("{label}: its AUTH token secret `{}` may generate '/', '\"' or '@', which ElastiCache refuses in a token", stack.binding(auth.index)),
                        "remove `exclude_punctuation: false` from the secret".to_owned(),
                    ));
                }
            }
        }
    }

    fn placement(&self) -> Option<Placement<'_>> {
        Some(Placement { vpc: self.vpc.index, subnets: &self.subnets, security_group: self.security_group.index, port: self.port() })
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let vpc_lid = cx.lid_of(&self.vpc);
        let subnets = cx.stack.get(&self.vpc).subnets(&vpc_lid, *self.subnets);
        let sg = cx.lid_of(&self.security_group);
        let label = cx.stack.node(i).label.clone();
        let keeps = cx.keeps(i);
        let group = format!("{l}SubnetGroup");
        cx.out.add(&group, "AWS::ElastiCache::SubnetGroup", json!({ "Description": format!("Subnets of {label}"), "SubnetIds": subnets }));
        let engine = self.engine.cfn();
        let mut props = json!({
                "ReplicationGroupId": sub(written(&self.name)),
                "ReplicationGroupDescription": format!("{label} of stack {}", cx.stack.name),
                "Engine": engine,
                "EngineVersion": self.engine_version.value,
                "CacheNodeType": self.node_type.value,
                "NumCacheClusters": 1,
                "AutomaticFailoverEnabled": false,
                "Port": self.port(),
                "AtRestEncryptionEnabled": on(&self.at_rest_encryption),
                "TransitEncryptionEnabled": on(&self.transit_encryption),
                // A kept cache keeps a week of daily snapshots; a deleted one none.
                "SnapshotRetentionLimit": self.snapshot_retention.as_deref().map_or(if keeps { 7 } else { 0 }, |d| d.get()),
                "CacheSubnetGroupName": r#ref(&group),
                "SecurityGroupIds": [get_att(&sg, "GroupId")],
            });
        if let Some(auth) = &self.auth {
            // A dynamic reference: CloudFormation resolves it when it creates the group.
            props["AuthToken"] = json!({ "Fn::Sub": format!("{{{{resolve:secretsmanager:${{{}}}:SecretString:password}}}}", cx.lid_of(auth)) });
        }
        cx.add_data(i, &l, "AWS::ElastiCache::ReplicationGroup", props);
    }
}
