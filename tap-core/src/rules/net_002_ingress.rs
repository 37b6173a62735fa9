use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::endpoint::Endpoint;
use crate::kinds::function::Function;
use crate::kinds::ingress::Ingress;
use crate::kinds::view::FromIndex;
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-NET-002",
    title: "Each network use is opened by exactly one ingress rule, never from anywhere",
    mistake: "seed mistake 11: security groups without ingress rules (Lambda cannot reach 5432 or 6379)",
    seed: "ec2.SecurityGroup(self, \"DBSecurityGroup\", vpc=vpc, ...)  (no add_ingress_rule)",
    explanation: "A security group with no ingress drops every connection. For each database, \
        cache or interface endpoint a function uses, the target's group must admit the function's \
        group on the target's port. Opening a port to 0.0.0.0/0 instead admits the internet. \
        Egress follows from the same declarations: each `Ingress` from a group lets that group \
        send to that port of the target and nowhere else, a function's group may also reach \
        HTTPS (the AWS APIs, through endpoints or NAT), and every other group sends nothing, so \
        a database or cache cannot open connections out. Raw CloudFormation is held to the \
        same line: an `AWS::EC2::SecurityGroupEgress` to 0.0.0.0/0 or ::/0, or a network ACL \
        entry that allows them, is refused.",
    fix: "Declare `resource!(Ingress { to: <target group>, from: <function group>, port: <port> });`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a missing rule is a timeout, and a function's group already reaches HTTPS anywhere; a wider opening admits, or sends to, the internet on ports no AWS API uses"),
    checkov: &[],
    check,
};

fn has_ingress(cx: &Cx<'_>, to: usize, from: usize, port: i64) -> bool {
    cx.stack.of::<Ingress>().any(|(_, g)| g.admits(to, from, port))
}

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, g) in cx.stack.of::<Ingress>() {
        if let Some(cidr) = g.cidr.as_ref().filter(|c| c.as_str() == "0.0.0.0/0" || c.as_str() == "::/0") {
            out.push(Finding::new(
                RULE.id,
                cidr.loc.clone(),
                format!("ingress on `{}` port {} is open to the internet ({})", g.to.name, g.port.get(), cidr.value),
                "admit the client's security group: `from: <group>`",
            ));
        }
    }
    // Raw CloudFormation that opens the network to anywhere (tap's own HTTPS egress for
    // functions is written by tap, not raw, and is not judged here).
    for node in &cx.stack.nodes {
        let Res::Raw(raw) = &node.res else { continue };
        let prop = |k: &str| raw.prop(k);
        let (keys, fix): (&[&str], &str) = match raw.schema.ty {
            "AWS::EC2::SecurityGroupEgress" => (&["CidrIp", "CidrIpv6"], "send to the target's group (`DestinationSecurityGroupId: <group>.GroupId`), or declare the rule as tap's `Ingress` on the target"),
            "AWS::EC2::NetworkAclEntry" if prop("RuleAction").and_then(|v| v.value.as_str()) == Some("allow") => {
                (&["CidrBlock", "Ipv6CidrBlock"], "allow the range the traffic comes from or goes to (the VPC's, a peer's), never anywhere")
            }
            _ => continue,
        };
        for key in keys {
            let Some(v) = prop(key).filter(|v| matches!(v.value.as_str(), Some("0.0.0.0/0" | "::/0"))) else {
                continue;
            };
            let way = if raw.schema.ty.ends_with("Egress")
                || prop("Egress").is_some_and(|e| e.value == crate::model::Value::Bool(true))
            {
                "to"
            } else {
                "from"
            };
            out.push(Finding::new(
                RULE.id,
                v.loc.clone(),
                format!("{} opens the network {way} anywhere ({})", node.label, v.value.as_str().unwrap_or_default()),
                fix,
            ));
        }
    }
    // One missing rule is one finding, at its first use (functions sharing a group, or a
    // function binding two attributes, would otherwise repeat it).
    let mut missing = std::collections::HashSet::new();
    for u in &cx.uses {
        let Some(p) = cx.stack.node(u.target).res.hooks().placement() else { continue };
        let Some(from) = Function::from_index(cx.stack, u.function).and_then(|f| f.security_group.as_ref()) else {
            continue;
        };
        if !has_ingress(cx, p.security_group, from.index, p.port)
            && missing.insert((p.security_group, from.index, p.port))
        {
            let (to, from, port) = (cx.stack.binding(p.security_group), &from.name, p.port);
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{}, but group `{to}` does not admit `{from}` on port {port}", u.describe(cx.stack)),
                format!("declare `resource!(Ingress {{ to: {to}, from: {from}, port: {port} }});`"),
            ));
        }
    }
    // Interface endpoints: the function reaches the API through ENIs behind the endpoint's group.
    for u in &cx.uses {
        let Some(service) = u.service_called() else { continue };
        let Some(f) = Function::from_index(cx.stack, u.function) else { continue };
        let (Some(vpc), Some(from)) = (&f.vpc, &f.security_group) else { continue };
        for (_, e) in cx.stack.of::<Endpoint>() {
            if e.vpc.index != vpc.index || e.service.0 != service {
                continue;
            }
            if let Some(to) = &e.security_group {
                if !has_ingress(cx, to.index, from.index, 443) && missing.insert((to.index, from.index, 443)) {
                    out.push(Finding::new(
                        RULE.id,
                        u.loc.clone(),
                        format!(
                            "{} through the {} endpoint, but its group `{}` does not admit `{}` on port 443",
                            u.describe(cx.stack),
                            service.word,
                            to.name,
                            from.name
                        ),
                        format!("declare `resource!(Ingress {{ to: {}, from: {}, port: 443 }});`", to.name, from.name),
                    ));
                }
            }
        }
    }
    out
}
