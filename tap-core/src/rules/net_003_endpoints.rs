use super::{Acknowledge, ANY, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::endpoint::Endpoint;
use crate::kinds::existing::Existing;
use crate::kinds::function::Function;
use crate::kinds::view::FromIndex;
use crate::model::Loc;

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
    lifecycle: None,
    acknowledge: Acknowledge::On(ANY, "the route can be outside the stack: a NAT gateway or endpoint of a shared VPC that tap cannot see"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in cx.stack.of::<Endpoint>() {
        let service = e.service.0;
        if !service.gateway && e.security_group.is_none() {
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("the {} endpoint is an interface endpoint and needs a security group", service.word),
                "add `security_group: <group>` and an `Ingress` on port 443 from the functions that use it",
            ));
        }
    }
    for (f, function) in cx.stack.of::<Function>() {
        let Some(vpc) = &function.vpc else { continue };
        let via_nat = function.via_nat();
        // An existing VPC's routes are not the stack's to see: what the function lists
        // in `egress_via_nat` is taken as stated, and every other service needs listing.
        let existing = Existing::from_index(cx.stack, vpc.index).is_some();
        let nats = if existing { None } else { Some(cx.stack.get(vpc).nat_gateways.get()) };
        if let (Some(egress), Some(0)) = (&function.egress_via_nat, nats) {
            if !via_nat.is_empty() {
                out.push(Finding::new(
                    RULE.id,
                    egress.loc.clone(),
                    format!(
                        "{} routes {} through NAT, but VPC `{}` has no NAT gateway",
                        cx.stack.node(f).label,
                        via_nat.iter().map(|s| s.word).collect::<Vec<_>>().join(", "),
                        vpc.name
                    ),
                    "set `nat_gateways: 1` on the VPC, or declare endpoints instead",
                ));
            }
        }
        let mut reported = Vec::new();
        for u in cx.uses_of(f) {
            let Some(service) = u.service_called() else { continue };
            let endpoint = cx.stack.of::<Endpoint>().any(|(_, e)| e.vpc.index == vpc.index && e.service.0 == service);
            if endpoint || via_nat.contains(&service) || reported.contains(&service) {
                continue;
            }
            reported.push(service);
            let word = service.word;
            if existing {
                out.push(Finding::new(
                    RULE.id,
                    u.loc.clone(),
                    format!("{}, calling {word} from existing VPC `{}`, whose routes the stack cannot see", u.describe(cx.stack), vpc.name),
                    format!("add `{word}` to `egress_via_nat` once the VPC has a route to it (a NAT gateway or its own endpoint)"),
                ));
                continue;
            }
            out.push(Finding::new(
                RULE.id,
                u.loc.clone(),
                format!("{}, calling {word} from private subnets of `{}` with no route to it", u.describe(cx.stack), vpc.name),
                format!(
                    "declare `resource!(Endpoint {{ vpc: {}, service: {word}{} }});` or add `{word}` to `egress_via_nat`",
                    vpc.name,
                    if service.gateway { "" } else { ", security_group: <group>" },
                ),
            ));
        }
    }
    out
}
