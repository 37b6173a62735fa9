use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::{Kind, Service};
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-NET-002",
    title: "Each network use is opened by exactly one ingress rule, never from anywhere",
    mistake: "seed mistake 11: security groups without ingress rules (Lambda cannot reach 5432 or 6379)",
    seed: "ec2.SecurityGroup(self, \"DBSecurityGroup\", vpc=vpc, ...)  (no add_ingress_rule)",
    explanation: "A security group with no ingress drops every connection. For each database, \
        cache or interface endpoint a function uses, the target's group must admit the function's \
        group on the target's port. Opening a port to 0.0.0.0/0 instead admits the internet.",
    fix: "Declare `resource!(Ingress { to: <target group>, from: <function group>, port: <port> });`.",
    check,
};

fn has_ingress(cx: &Cx, to: &str, from: &str, port: i64) -> bool {
    cx.stack
        .of_kind(Kind::Ingress)
        .any(|(_, g)| g.target("to") == Some(to) && g.target("from") == Some(from) && g.int("port") == Some(port))
}

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, g) in cx.stack.of_kind(Kind::Ingress) {
        if let Some(cidr @ ("0.0.0.0/0" | "::/0")) = g.str("cidr") {
            out.push(Finding::new(
                RULE.id,
                Loc::prop(i, "cidr"),
                format!("ingress on `{}` port {} is open to the internet ({cidr})", g.target("to").unwrap_or_default(), g.int("port").unwrap_or(0)),
                "admit the client's security group: `from: <group>`",
            ));
        }
    }
    for u in &cx.uses {
        let target = &cx.stack.resources[u.target];
        let f = &cx.stack.resources[u.function];
        let (Some(port), Some(to), Some(from)) = (
            target.kind.spec().vpc_port.map(|p| target.int("port").unwrap_or(p)),
            target.target("security_group"),
            f.target("security_group"),
        ) else {
            continue;
        };
        if !has_ingress(cx, to, from, port) {
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
        let Some(service) = u.service_called(cx.stack) else { continue };
        let f = &cx.stack.resources[u.function];
        let (Some(vpc), Some(from)) = (f.target("vpc"), f.target("security_group")) else { continue };
        for (_, e) in cx.stack.of_kind(Kind::Endpoint) {
            if e.target("vpc") != Some(vpc) || Service::from_word(e.word("service").unwrap_or_default()) != Some(service) {
                continue;
            }
            if let Some(to) = e.target("security_group") {
                if !has_ingress(cx, to, from, 443) {
                    out.push(Finding::new(
                        RULE.id,
                        u.loc.clone(),
                        format!("{} through the {} endpoint, but its group `{to}` does not admit `{from}` on port 443", u.describe(cx.stack), service.word()),
                        format!("declare `resource!(Ingress {{ to: {to}, from: {from}, port: 443 }});`"),
                    ));
                }
            }
        }
    }
    out
}
