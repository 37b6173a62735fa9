use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::{Kind, Service};
use crate::model::{Loc, Value};

pub static RULE: Rule = Rule {
    id: "TAP-NET-003",
    title: "A private function has a route to every AWS API it calls",
    mistake: "seed README issue 9: no VPC endpoint configuration",
    seed: "README: \"9. No VPC endpoint configuration\"",
    explanation: "A function in private subnets reaches S3, Secrets Manager or SQS only through a \
        VPC endpoint or a NAT gateway; without either its SDK calls hang until the timeout. Each \
        service the function calls needs an `Endpoint` in its VPC, or must be listed in the \
        function's `egress_via_nat` (a stated choice, checked against the VPC's NAT gateways).",
    fix: "Declare `resource!(Endpoint { vpc, service: S3 });` (interface services also take a `security_group`), or list the service in `egress_via_nat`.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in cx.stack.of_kind(Kind::Endpoint) {
        let service = Service::from_word(e.word("service").unwrap_or_default());
        if service.is_some_and(|s| !s.is_gateway()) && e.get("security_group").is_none() {
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("the {} endpoint is an interface endpoint and needs a security group", e.word("service").unwrap_or_default()),
                "add `security_group: <group>` and an `Ingress` on port 443 from the functions that use it",
            ));
        }
    }
    for (f, function) in cx.stack.of_kind(Kind::Function) {
        let Some(vpc_name) = function.target("vpc") else { continue };
        let via_nat: Vec<&str> = function.list("egress_via_nat").iter().filter_map(Value::as_word).collect();
        let nats = cx.stack.resolve(vpc_name).and_then(|v| v.int("nat_gateways")).unwrap_or(0);
        if !via_nat.is_empty() && nats == 0 {
            out.push(Finding::new(
                RULE.id,
                Loc::prop(f, "egress_via_nat"),
                format!("{} routes {} through NAT, but VPC `{vpc_name}` has no NAT gateway", function.label(), via_nat.join(", ")),
                "set `nat_gateways: 1` on the VPC, or declare endpoints instead",
            ));
        }
        let mut reported = Vec::new();
        for u in cx.uses_of(f) {
            let Some(service) = u.service_called(cx.stack) else { continue };
            let endpoint = cx.stack.of_kind(Kind::Endpoint).any(|(_, e)| {
                e.target("vpc") == Some(vpc_name) && e.word("service") == Some(service.word())
            });
            if endpoint || via_nat.contains(&service.word()) || reported.contains(&service) {
                continue;
            }
            reported.push(service);
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{}, calling {} from private subnets of `{vpc_name}` with no route to it", u.describe(cx.stack), service.word()),
                format!(
                    "declare `resource!(Endpoint {{ vpc: {vpc_name}, service: {}{} }});` or add `{}` to `egress_via_nat`",
                    service.word(),
                    if service.is_gateway() { "" } else { ", security_group: <group>" },
                    service.word()
                ),
            ));
        }
    }
    out
}
