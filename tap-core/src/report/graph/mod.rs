//! The stack as a diagram: who talks to whom, each edge labelled with what tap checked (the
//! access granted, the port opened, where failures go), VPCs and their subnet tiers as
//! containers. Read off the checked stack, not the template, because the template does not
//! say why an edge is there. `tap::build::emit` writes it beside every template as Mermaid
//! (`graph.mmd`, which code hosts render) and DOT (`graph.dot`, for Graphviz).

mod app;
mod render;

pub use app::{app, AppGraph, Link};

use std::collections::BTreeMap;

use crate::acknowledge::Acknowledged;
use crate::kinds::alarm::Alarm;
use crate::kinds::api::Api;
use crate::kinds::endpoint::Endpoint;
use crate::kinds::event_source::EventSource;
use crate::kinds::existing::Existing;
use crate::kinds::function::Function;
use crate::kinds::ingress::Ingress;
use crate::kinds::log_group::LogGroup;
use crate::kinds::raw::Raw;
use crate::kinds::role::Role;
use crate::kinds::schedule::Schedule;
use crate::kinds::value::Grant;
use crate::kinds::view::{FromIndex, Via};
use crate::kinds::{Checked, Kind};

/// A resource drawn as a box.
#[derive(Debug, PartialEq)]
pub struct Box_ {
    pub id: String,
    pub label: String,
    /// `(vpc index, tier)` when it sits in a VPC's subnets.
    pub inside: Option<(usize, &'static str)>,
}

/// An arrow, `from` uses or feeds `to`.
#[derive(Debug, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: String,
    /// Drawn dashed: not a data path (an alarm, a log group, a failure destination).
    pub dashed: bool,
}

/// The stack's diagram, as data: boxes by resource index (those drawn), edges, VPCs.
#[derive(Debug)]
pub struct Graph {
    pub name: String,
    pub boxes: BTreeMap<usize, Box_>,
    pub edges: Vec<Edge>,
    /// VPC index -> its label.
    pub vpcs: BTreeMap<usize, String>,
}

/// Kinds drawn as edges or containers rather than boxes.
const NOT_BOXES: &[Kind] = &[Kind::Vpc, Kind::SecurityGroup, Kind::Ingress, Kind::EventSource, Kind::Output];

/// `acknowledged`: the findings the stack has on purpose; each box that has one says so, so
/// an exception is seen where the resource is drawn.
pub fn graph(stack: &Checked, acknowledged: &[Acknowledged]) -> Graph {
    let mut g = Graph { name: stack.name.clone(), boxes: BTreeMap::new(), edges: Vec::new(), vpcs: BTreeMap::new() };
    g.add_boxes(stack);
    g.mark_acknowledged(acknowledged);
    g.add_uses(stack);
    g.label_event_sources(stack);
    g.add_ports(stack);
    g.add_watchers(stack);
    g.add_invokers(stack);
    g.add_roles_and_raw(stack);
    g.edges.retain(|e| g.boxes.contains_key(&e.from) && g.boxes.contains_key(&e.to));
    g
}

/// The diagram's parts, added in this order (an edge's label may be extended by a later part).
impl Graph {
    /// `(acknowledged: TAP-PUBLIC-001)` after the label of each resource with an exception.
    fn mark_acknowledged(&mut self, acknowledged: &[Acknowledged]) {
        let mut ids: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for a in acknowledged {
            if let Some(i) = a.finding.loc.resource {
                let list = ids.entry(i).or_default();
                if !list.contains(&a.finding.id) {
                    list.push(a.finding.id);
                }
            }
        }
        for (i, list) in ids {
            if let Some(b) = self.boxes.get_mut(&i) {
                b.label = format!("{} (acknowledged: {})", b.label, list.join(", "));
            }
        }
    }
    /// Every resource drawn, in its VPC tier; VPCs as containers.
    fn add_boxes(&mut self, stack: &Checked) {
        let is_vpc = |i: usize| {
            stack.node(i).kind == Kind::Vpc || Existing::from_index(stack, i).is_some_and(|e| e.kind.0 == Kind::Vpc)
        };
        for (i, node) in stack.nodes.iter().enumerate() {
            if is_vpc(i) {
                self.vpcs.insert(i, node.label.clone());
                continue;
            }
            if NOT_BOXES.contains(&node.kind) {
                continue;
            }
            let inside = match (Function::from_index(stack, i), node.res.hooks().placement()) {
                (Some(f), _) => f.vpc.as_ref().map(|v| (v.index, f.subnets.as_deref().map_or("Private", |s| s.word()))),
                (None, Some(p)) => Some((p.vpc, p.subnets.word())),
                (None, None) => Endpoint::from_index(stack, i).map(|e| (e.vpc.index, "Private")),
            };
            // An unbound resource is named by what it is: an endpoint by its service, others by
            // the physical name written.
            let label = match (Endpoint::from_index(stack, i), &node.binding, node.res.physical_name()) {
                (Some(e), _, _) => format!("{} endpoint", e.service.0.word),
                (None, None, Some(name)) => format!("{} {}", node.spec().noun, name.0),
                _ => node.label.clone(),
            };
            self.boxes.insert(i, Box_ { id: stack.lid(i).to_owned(), label, inside });
        }
    }

    /// What each function uses, labelled with the grants it holds on it.
    fn add_uses(&mut self, stack: &Checked) {
        let uses = crate::analysis::uses(stack);
        for u in &uses {
            let Some(f) = Function::from_index(stack, u.function) else { continue };
            let granted: Vec<String> = f
                .grants()
                .iter()
                .filter_map(|g| match &g.value {
                    Grant::Level { target, level, .. } if *target == u.target => Some(level.name.to_owned()),
                    Grant::Raw { actions, resources }
                        if resources.iter().any(|r| r.target().is_some_and(|a| a.target == u.target)) =>
                    {
                        Some(actions.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(", "))
                    }
                    _ => None,
                })
                .collect();
            let (from, to, label, dashed) = match &u.via {
                Via::Env(var) => {
                    // One edge per function and target: the grants, then the variables bound.
                    let access = match (granted.is_empty(), stack.node(u.target).res.hooks().placement()) {
                        (false, _) => granted.join(" + "),
                        (true, Some(_)) => "connects".to_owned(),
                        (true, None) => "reads".to_owned(),
                    };
                    match self.edges.iter_mut().find(|e| e.from == u.function && e.to == u.target && !e.dashed) {
                        Some(e) => e.label = format!("{}, {var})", e.label.trim_end_matches(')')),
                        None => self.edges.push(Edge {
                            from: u.function,
                            to: u.target,
                            label: format!("{access} ({var})"),
                            dashed: false,
                        }),
                    }
                    continue;
                }
                Via::EventSource => (u.target, u.function, "feeds".to_owned(), false),
                Via::OnFailure => (u.function, u.target, "failed batches".to_owned(), true),
                Via::AsyncFailure => (u.function, u.target, "failed invocations".to_owned(), true),
            };
            if !self.edges.iter().any(|e| e.from == from && e.to == to && e.label == label) {
                self.edges.push(Edge { from, to, label, dashed });
            }
        }
    }

    /// The event source's settings on its "feeds" edge.
    fn label_event_sources(&mut self, stack: &Checked) {
        for (_, e) in stack.of::<EventSource>() {
            let source = e.stream.as_ref().map(|s| s.index).or(e.queue.as_ref().map(|q| q.index));
            if let Some(edge) =
                self.edges.iter_mut().find(|x| Some(x.from) == source && x.to == e.target.index && x.label == "feeds")
            {
                let mut parts = Vec::new();
                if let Some(b) = &e.batch_size {
                    parts.push(format!("batch {}", b.get()));
                }
                if let Some(r) = &e.retries {
                    parts.push(format!("{} retries", r.get()));
                }
                if e.report_batch_item_failures.as_deref() == Some(&true) {
                    parts.push("partial batch".to_owned());
                }
                if !parts.is_empty() {
                    edge.label = format!("feeds ({})", parts.join(", "));
                }
            }
        }
    }

    /// Ports opened between security groups, drawn between the resources behind them.
    fn add_ports(&mut self, stack: &Checked) {
        let group_of = |i: usize| -> Option<usize> {
            Function::from_index(stack, i)
                .and_then(|f| f.security_group.as_ref().map(|s| s.index))
                .or_else(|| stack.node(i).res.hooks().placement().map(|p| p.security_group))
        };
        for (_, ing) in stack.of::<Ingress>() {
            let Some(from) = &ing.from else { continue };
            let members = |group: usize| -> Vec<usize> {
                self.boxes.keys().copied().filter(|&b| group_of(b) == Some(group)).collect()
            };
            let (sources, targets) = (members(from.index), members(ing.to.index));
            for &a in &sources {
                for &b in targets.iter().filter(|&&b| b != a) {
                    // On the edge of the use it opens, when there is one.
                    let port = format!("tcp/{}", ing.port.get());
                    match self.edges.iter_mut().find(|e| e.from == a && e.to == b && !e.dashed) {
                        Some(e) => e.label = format!("{port} · {}", e.label),
                        None => self.edges.push(Edge { from: a, to: b, label: port, dashed: false }),
                    }
                }
            }
        }
    }

    /// Log groups and alarms, dashed: they watch, they carry no data.
    fn add_watchers(&mut self, stack: &Checked) {
        for (i, l) in stack.of::<LogGroup>() {
            let days = l.retention_days.as_deref().map(|d| format!(" ({} d)", d.get())).unwrap_or_default();
            self.edges.push(Edge { from: l.function.index, to: i, label: format!("logs{days}"), dashed: true });
        }
        for (i, a) in stack.of::<Alarm>() {
            self.edges.push(Edge {
                from: i,
                to: a.on.index,
                label: format!("{} ≥ {}", a.metric.word(), a.threshold.get()),
                dashed: true,
            });
        }
    }

    /// What a schedule or an API invokes, and where a schedule sends what it could not deliver.
    fn add_invokers(&mut self, stack: &Checked) {
        for (i, api) in stack.of::<Api>() {
            for route in api.routes() {
                let open = if route.open.is_some() { ", open" } else { "" };
                self.edges.push(Edge {
                    from: i,
                    to: route.target,
                    label: format!("{}{open}", route.key),
                    dashed: false,
                });
            }
        }
        for (i, s) in stack.of::<Schedule>() {
            self.edges.push(Edge {
                from: i,
                to: s.target.index,
                label: format!("invokes ({})", *s.expression),
                dashed: false,
            });
            if let Some(q) = &s.dead_letter {
                self.edges.push(Edge { from: i, to: q.index, label: "undelivered".to_owned(), dashed: true });
            }
        }
    }

    /// A role's grants, and whatever a raw resource names.
    fn add_roles_and_raw(&mut self, stack: &Checked) {
        for (i, r) in stack.of::<Role>() {
            for grant in r.grants.iter() {
                if let Grant::Level { target, level, .. } = &grant.value {
                    self.edges.push(Edge { from: i, to: *target, label: level.name.to_owned(), dashed: false });
                } else if let Grant::Raw { actions, resources } = &grant.value {
                    for t in resources
                        .iter()
                        .filter_map(|r| r.target())
                        .map(|a| a.target)
                        .collect::<std::collections::BTreeSet<_>>()
                    {
                        self.edges.push(Edge {
                            from: i,
                            to: t,
                            label: actions.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(", "),
                            dashed: false,
                        });
                    }
                }
            }
        }
        for (i, raw) in stack.of::<Raw>() {
            for (key, v) in &raw.props {
                for b in v.named() {
                    let Some(t) = stack.find(b) else { continue };
                    if t != i && self.boxes.contains_key(&t) && !self.edges.iter().any(|e| e.from == i && e.to == t) {
                        self.edges.push(Edge { from: i, to: t, label: key.clone(), dashed: false });
                    }
                }
            }
        }
    }
}
