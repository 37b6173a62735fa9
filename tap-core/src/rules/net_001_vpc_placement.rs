use super::{Cx, Rule};
use crate::finding::Finding;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-NET-001",
    title: "A function that uses a VPC-only resource runs in that VPC's private subnets",
    mistake: "seed mistake 10: Lambda not in the VPC, so it cannot reach RDS or ElastiCache",
    seed: "lambda_.Function(self, \"InventoryProcessor\", ...)  (no vpc=, vpc_subnets=, security_groups=)",
    explanation: "RDS and ElastiCache have no public endpoint here; a function outside their VPC \
        times out on every connection. A function that references a database or cache must name the \
        same `vpc`, `subnets: Private` and a `security_group`; the databases themselves sit in \
        private subnets too.",
    fix: "Add `vpc: <the VPC>, subnets: Private, security_group: <its group>` to the function.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, r) in cx.stack.resources.iter().enumerate() {
        if r.kind.spec().vpc_port.is_some() && r.word("subnets") == Some("Public") {
            out.push(Finding::new(RULE.id, Loc::prop(i, "subnets"), format!("{} sits in public subnets", r.label()), "write `subnets: Private`"));
        }
    }
    for u in &cx.uses {
        let target = &cx.stack.resources[u.target];
        if target.kind.spec().vpc_port.is_none() {
            continue;
        }
        let f = &cx.stack.resources[u.function];
        let vpc = target.target("vpc").unwrap_or_default();
        let placement = if f.target("vpc") != Some(vpc) {
            Some(format!("is not in VPC `{vpc}`"))
        } else if f.word("subnets") != Some("Private") {
            Some("is not in the private subnets".to_owned())
        } else if f.get("security_group").is_none() {
            Some("has no security group".to_owned())
        } else {
            None
        };
        if let Some(why) = placement {
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{} (reachable only inside VPC `{vpc}`), but `{}` {why}", u.describe(cx.stack), f.binding.as_deref().unwrap_or("function")),
                format!("add `vpc: {vpc}, subnets: Private, security_group: <group>` to the function"),
            ));
        }
    }
    out
}
