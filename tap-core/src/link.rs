//! Joining the stacks of one app (`#[tap::app] mod shop { #[stack] fn data() .. #[stack] fn
//! service() .. }`): a stack names another's resource as `data::orders` (the other stack's
//! function name, then its binding), with a member as for its own (`data::orders.arn`,
//! `data::orders.write`). This stage runs before validation, on the property bags, and turns
//! each such reference into what CloudFormation joins stacks with:
//!
//! - the producer gets an `Output` of the resource's identifying attribute, exported as
//!   `<Producer>-{suffix}-<Binding><Attr>` (the suffix in the name, so each environment's
//!   stacks join their own; the stack's deployed name plays no part), and for a VPC a second
//!   one of its private subnets, where the consumer's functions are placed;
//! - the consumer gets an `Existing { kind: <the producer's kind>, from: Import(<that name>) }`
//!   bound as `data::orders`, so its attributes, its access levels and every rule that
//!   reaches an existing resource (the grants TAP-IAM-001/002, handles typed by the grant)
//!   judge the reference as they judge one to its own resources;
//! - the consumer depends on the producer: it is deployed after it and deleted before it.
//!
//! Export and `Fn::ImportValue` rather than reading the other stack's outputs at deploy
//! time: CloudFormation refuses to delete or change an export another stack imports, so the
//! join is enforced by the service too, not only by this build.
//!
//! What it refuses (TAP-LINK-*), each at the reference's token: a stack the app does not
//! declare, a resource the other stack does not declare (an export removed while a consumer
//! uses it), a kind that cannot be named from outside its stack, a cycle, and a stack
//! naming its own resource through its own name.

use crate::cfn::pascal;
use crate::finding::{did_you_mean, Finding, LinkError};
use crate::kinds::{existing, output, Kind};
use crate::model::{Loc, Seg, Stack, Value};

/// One stack of an app and the name other stacks call it by (its function's name).
pub struct Member {
    pub key: String,
    pub stack: Stack,
}

/// What linking an app found and did.
#[derive(Debug, Default)]
pub struct Linked {
    /// The stacks in the order they deploy (indices into the members): each after every
    /// stack it imports from. Deleting goes in the reverse.
    pub order: Vec<usize>,
    /// `(member, finding)`: each at the reference's node in that member's stack.
    pub findings: Vec<(usize, Finding)>,
    /// Every resource the link added, with the node its findings point at.
    pub added: Vec<Added>,
}

/// A resource the link added to a member's stack (an import, an export); a finding on it
/// points at `at` (the first reference, or the exported resource).
#[derive(Debug)]
pub struct Added {
    pub member: usize,
    pub resource: usize,
    pub at: (usize, Loc),
}

/// One `data::orders` written in a stack.
struct Reference {
    member: usize,
    loc: Loc,
    stack: String,
    binding: String,
}

/// A reference that names a resource that can cross: the producer, the resource's binding,
/// the kind it is typed as.
struct Edge<'a> {
    reference: &'a Reference,
    producer: usize,
    kind: Kind,
}

/// Links the members of an app in place (see the module's documentation).
pub fn link(members: &mut [Member]) -> Linked {
    let mut linked = Linked::default();
    let references: Vec<Reference> =
        members.iter().enumerate().flat_map(|(m, member)| references(m, &member.stack)).collect();
    let mut edges = Vec::new();
    for r in &references {
        match resolve(members, r) {
            Ok(edge) => edges.push(edge),
            Err(f) => linked.findings.push((r.member, f)),
        }
    }
    let (order, cycle) = order(members, &edges);
    linked.order = order;
    if let Some(edge) = cycle {
        let names: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
        let (from, to) = (names[edge.reference.member], names[edge.producer]);
        linked.findings.push((
            edge.reference.member,
            Finding::new(
                LinkError::Cycle.id(),
                edge.reference.loc.clone(),
                format!(
                    "stack `{from}` imports from `{to}`, which imports from `{from}` (directly or through others): neither can be deployed first"
                ),
                LinkError::Cycle.fix(),
            ),
        ));
    }
    join(members, &edges, &mut linked);
    linked
}

/// Every `stack::binding` a stack writes, in the order written.
fn references(member: usize, stack: &Stack) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, r) in stack.resources.iter().enumerate() {
        for (key, value) in &r.props {
            walk(value, Loc::prop(i, key), &mut |v, loc| {
                let name = match v {
                    Value::Word(w) | Value::Dot { target: w, .. } => w,
                    _ => return,
                };
                if let Some((stack, binding)) = name.split_once("::") {
                    out.push(Reference { member, loc, stack: stack.to_owned(), binding: binding.to_owned() });
                }
            });
        }
    }
    out
}

fn walk(value: &Value, loc: Loc, f: &mut impl FnMut(&Value, Loc)) {
    match value {
        Value::List(items) | Value::Call { args: items, .. } => {
            for (n, item) in items.iter().enumerate() {
                walk(item, loc.push(Seg::Index(n)), f);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                walk(v, loc.push(Seg::Key(k.clone())), f);
            }
        }
        _ => f(value, loc),
    }
}

/// The producer and kind of a reference, or why it cannot be.
fn resolve<'a>(members: &[Member], r: &'a Reference) -> Result<Edge<'a>, Finding> {
    let own = &members[r.member].key;
    let error = |e: LinkError, message: String, fix: String| Finding::new(e.id(), r.loc.clone(), message, fix);
    if &r.stack == own {
        return Err(error(
            LinkError::OwnStack,
            format!("`{}::{}` names this stack's own resource", r.stack, r.binding),
            format!("write `{}`", r.binding),
        ));
    }
    let Some(producer) = members.iter().position(|m| m.key == r.stack) else {
        let keys = members.iter().map(|m| m.key.as_str()).filter(|k| k != own);
        let fix = match did_you_mean(&r.stack, keys) {
            Some(k) => format!("write `{k}::{}`", r.binding),
            None if members.len() == 1 => LinkError::UnknownStack.fix().to_owned(),
            None => format!(
                "name one of the app's stacks by its function's name: {}",
                members.iter().map(|m| format!("`{}`", m.key)).collect::<Vec<_>>().join(", ")
            ),
        };
        let within =
            if members.len() == 1 { "this stack is not in an app with it" } else { "the app declares no such stack" };
        return Err(error(
            LinkError::UnknownStack,
            format!("`{}` names stack `{}`: {within}", r.binding, r.stack),
            fix,
        ));
    };
    let stack = &members[producer].stack;
    let Some(resource) = stack.find(&r.binding).map(|i| &stack.resources[i]) else {
        let bindings = stack.resources.iter().filter_map(|x| x.binding.as_deref());
        let fix = match did_you_mean(&r.binding, bindings) {
            Some(b) => format!("write `{}::{b}`", r.stack),
            None => LinkError::Removed.fix().to_owned(),
        };
        return Err(error(
            LinkError::Removed,
            format!(
                "stack `{}` declares no `{}`: this stack imports it, so CloudFormation would refuse to remove its export",
                r.stack, r.binding
            ),
            fix,
        ));
    };
    let kind = Kind::from_word(&resource.kind);
    let kind = if kind == Some(Kind::Existing) { existing::stands_for(resource) } else { kind };
    match kind.filter(|k| k.spec().existing.is_some()) {
        Some(kind) => Ok(Edge { reference: r, producer, kind }),
        None => {
            let can: Vec<&str> = existing::kinds().map(Kind::word).collect();
            Err(error(
                LinkError::CannotCross,
                format!(
                    "`{}::{}` is a {}, which another stack cannot use: kinds that can are {}",
                    r.stack,
                    r.binding,
                    kind.map_or(resource.kind.as_str(), |k| k.spec().noun),
                    can.join(", ")
                ),
                LinkError::CannotCross.fix().to_owned(),
            ))
        }
    }
}

/// The members in deploy order (producers first, then the order declared), and an edge of
/// a cycle when there is one (its members then follow in the order declared).
fn order<'a, 'e>(members: &[Member], edges: &'e [Edge<'a>]) -> (Vec<usize>, Option<&'e Edge<'a>>) {
    let n = members.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n).find(|&m| {
            !placed[m] && edges.iter().all(|e| e.reference.member != m || e.producer == m || placed[e.producer])
        });
        match ready {
            Some(m) => {
                placed[m] = true;
                order.push(m);
            }
            None => {
                // Every stack left waits on another one left: a cycle among them.
                let cycle = edges.iter().find(|e| !placed[e.reference.member] && !placed[e.producer]);
                order.extend((0..n).filter(|&m| !placed[m]));
                return (order, cycle);
            }
        }
    }
    (order, None)
}

/// The export each producer adds and the import each consumer adds, once per resource.
fn join(members: &mut [Member], edges: &[Edge<'_>], linked: &mut Linked) {
    for (k, edge) in edges.iter().enumerate() {
        let r = edge.reference;
        // One import per resource and consumer, however many references it writes.
        let imported = edges[..k].iter().any(|e| {
            e.reference.member == r.member && e.reference.stack == r.stack && e.reference.binding == r.binding
        });
        if imported {
            continue;
        }
        let producer_name = members[edge.producer].stack.name.clone();
        let def = edge.kind.spec().existing.expect("resolve lets only kinds with `existing` cross");
        // The identifier, and a VPC's subnets (where the consumer's functions go).
        let attrs: Vec<&str> = std::iter::once(def.id).chain(def.subnets.then_some(existing::SUBNETS_ATTR)).collect();
        let exports: Vec<String> =
            attrs.iter().map(|a| format!("{producer_name}-{{suffix}}-{}{}", pascal(&r.binding), pascal(a))).collect();
        // The producer exports it once, whoever imports it.
        let exported = edges[..k].iter().any(|e| e.producer == edge.producer && e.reference.binding == r.binding);
        if !exported {
            let producer = &mut members[edge.producer].stack;
            let at = producer.find(&r.binding).expect("resolve found it");
            for (attr, export) in attrs.iter().zip(&exports) {
                producer.push(output::export(&r.binding, attr, export));
                linked.added.push(Added {
                    member: edge.producer,
                    resource: producer.resources.len() - 1,
                    at: (edge.producer, Loc::resource(at)),
                });
            }
        }
        let consumer = &mut members[r.member].stack;
        let binding = format!("{}::{}", r.stack, r.binding);
        consumer.push(existing::import(&binding, edge.kind, &exports[0], exports.get(1).map(String::as_str)));
        linked.added.push(Added {
            member: r.member,
            resource: consumer.resources.len() - 1,
            at: (r.member, r.loc.clone()),
        });
        if !consumer.depends_on.contains(&producer_name) {
            consumer.depends_on.push(producer_name);
        }
    }
}

// The property the references sit in does not matter to the link: the tests use `refs`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    fn table(binding: &str) -> Resource {
        Resource::new("Table", Some(binding))
    }

    fn shop(refs: Vec<Value>) -> Vec<Member> {
        let mut data = Stack::new("Data");
        data.push(table("orders"));
        data.push(Resource::new("Function", Some("job")));
        let mut service = Stack::new("Service");
        service.push(Resource::new("Function", Some("api")).with("refs", Value::List(refs)));
        vec![Member { key: "data".into(), stack: data }, Member { key: "app".into(), stack: service }]
    }

    #[test]
    fn a_reference_becomes_an_export_and_an_import_with_the_suffix() {
        let mut members = shop(vec![Value::attr("data::orders", "write"), Value::attr("data::orders", "read")]);
        let linked = link(&mut members);
        assert!(linked.findings.is_empty(), "{:?}", linked.findings);
        assert_eq!(linked.order, [0, 1]);
        let export = members[0].stack.resources.last().unwrap();
        assert_eq!(export, &output::export("orders", "arn", "Data-{suffix}-OrdersArn"));
        let import = members[1].stack.resources.last().unwrap();
        assert_eq!(import, &existing::import("data::orders", Kind::Table, "Data-{suffix}-OrdersArn", None));
        // Two references, one import and one export.
        assert_eq!(members[1].stack.resources.len(), 2);
        assert_eq!(members[0].stack.resources.len(), 3);
        assert_eq!(members[1].stack.depends_on, ["Data"]);
    }

    #[test]
    fn a_removed_resource_an_unknown_stack_and_a_function_are_refused_at_the_reference() {
        let mut members = shop(vec![
            Value::attr("data::order", "write"),
            Value::attr("dta::orders", "read"),
            Value::attr("data::job", "invoke"),
            Value::attr("app::api", "invoke"),
        ]);
        let linked = link(&mut members);
        let ids: Vec<&str> = linked.findings.iter().map(|(_, f)| f.id).collect();
        assert_eq!(ids, ["TAP-LINK-002", "TAP-LINK-001", "TAP-LINK-003", "TAP-LINK-005"]);
        assert!(linked.findings[0].1.fix.contains("data::orders"), "{}", linked.findings[0].1.fix);
        assert!(linked.findings[1].1.fix.contains("data::orders"), "{}", linked.findings[1].1.fix);
        assert_eq!(linked.findings[0].1.loc, Loc::prop(0, "refs").push(Seg::Index(0)));
    }

    #[test]
    fn a_vpc_crosses_with_its_private_subnets() {
        let mut network = Stack::new("Network");
        network.push(Resource::new("Vpc", Some("shared")));
        let mut service = Stack::new("Service");
        service.push(Resource::new("SecurityGroup", Some("sg")).with("refs", Value::reference("network::shared")));
        let mut members =
            vec![Member { key: "network".into(), stack: network }, Member { key: "app".into(), stack: service }];
        let linked = link(&mut members);
        assert!(linked.findings.is_empty(), "{:?}", linked.findings);
        let exports: Vec<&Resource> = members[0].stack.resources[1..].iter().collect();
        assert_eq!(
            exports,
            [
                &output::export("shared", "id", "Network-{suffix}-SharedId"),
                &output::export("shared", "private_subnets", "Network-{suffix}-SharedPrivateSubnets"),
            ]
        );
        let import = members[1].stack.resources.last().unwrap();
        let subnets = Some("Network-{suffix}-SharedPrivateSubnets");
        assert_eq!(import, &existing::import("network::shared", Kind::Vpc, "Network-{suffix}-SharedId", subnets));
    }

    #[test]
    fn a_cycle_is_refused_and_the_order_still_lists_every_stack() {
        let mut members = shop(vec![Value::attr("data::orders", "write")]);
        members[1].stack.push(table("audit"));
        members[0].stack.push(
            Resource::new("Function", Some("f")).with("refs", Value::List(vec![Value::attr("app::audit", "write")])),
        );
        let linked = link(&mut members);
        assert_eq!(linked.findings.iter().map(|(_, f)| f.id).collect::<Vec<_>>(), ["TAP-LINK-004"]);
        assert_eq!(linked.order.len(), 2);
    }
}
