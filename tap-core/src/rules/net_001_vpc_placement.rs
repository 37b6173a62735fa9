use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::schema::Subnets;
use crate::kinds::view::FromIndex;

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
    lifecycle: None,
    acknowledge: Acknowledge::Never("the function cannot reach the resource: every call times out"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for node in &cx.stack.nodes {
        let Some(p) = node.res.hooks().placement() else { continue };
        if p.subnets.value == Subnets::Public {
            out.push(Finding::new(
                RULE.id,
                p.subnets.loc.clone(),
                format!("{} sits in public subnets", node.label),
                "write `subnets: Private`",
            ));
        }
    }
    for u in &cx.uses {
        let Some(p) = cx.stack.node(u.target).res.hooks().placement() else { continue };
        let Some(f) = Function::from_index(cx.stack, u.function) else { continue };
        let vpc = cx.stack.binding(p.vpc);
        let placement = if f.vpc.as_ref().map(|v| v.index) != Some(p.vpc) {
            Some(format!("is not in VPC `{vpc}`"))
        } else if f.subnets.as_deref() != Some(&Subnets::Private) {
            Some("is not in the private subnets".to_owned())
        } else if f.security_group.is_none() {
            Some("has no security group".to_owned())
        } else {
            None
        };
        if let Some(why) = placement {
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!(
                    "{} (reachable only inside VPC `{vpc}`), but `{}` {why}",
                    u.describe(cx.stack),
                    cx.stack.node(u.function).binding.as_deref().unwrap_or("function")
                ),
                format!("add `vpc: {vpc}, subnets: Private, security_group: <group>` to the function"),
            ));
        }
    }
    out
}
