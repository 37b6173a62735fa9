use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::cache::Cache;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-NET-004",
    title: "A cache requires AUTH",
    mistake: "security review (issue 11): Redis with no access control beyond its security group",
    seed: "elasticache.CfnCacheCluster(self, \"RedisCluster\", engine=\"redis\", ...)  (no auth_token)",
    explanation: "Without an AUTH token, anything that can reach the cache's port can read and \
        write every key: a security group is one layer, and one misconfigured ingress rule (or \
        a compromised neighbour inside it) away from open. ElastiCache checks a token on every \
        connection when transit encryption is on. tap takes it from a secret through a dynamic \
        reference, so it never appears in the template, and the function that connects reads \
        the same secret.",
    fix:
        "Declare `let cache_token = resource!(Secret { name: \"..-cache-token-{suffix}\", username: \"default\" });`, \
        write `auth: cache_token` on the cache, and give the function that connects \
        `cache_token.read` and the secret's ARN in its `env`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a cache without AUTH answers anything that reaches its port"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    cx.stack
        .of::<Cache>()
        .filter(|(_, c)| c.auth.is_none())
        .map(|(i, _)| {
            let label = &cx.stack.node(i).label;
            Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{label} accepts every connection its security group lets through: it has no AUTH token"),
                "declare `let cache_token = resource!(Secret { name: \"..-cache-token-{suffix}\", username: \"default\" });` and write `auth: cache_token`".to_owned(),
            )
        })
        .collect()
}
