//! The stack as a diagram: who talks to whom, each edge labelled with what tap checked (the
//! access granted, the port opened, where failures go), VPCs and their subnet tiers as
//! containers. Read off the checked stack, not the template, because the template does not
//! say why an edge is there. `tap::build::emit` writes it beside every template as Mermaid
//! (`graph.mmd`, which code hosts render) and DOT (`graph.dot`, for Graphviz).

use std::collections::BTreeMap;
use std::fmt::Write;

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

impl Graph {
    /// The boxes inside VPC `vpc`'s subnets of tier `tier`.
    fn inside<'a>(&'a self, vpc: usize, tier: &'a str) -> impl Iterator<Item = &'a Box_> + 'a {
        self.boxes.values().filter(move |b| b.inside.is_some_and(|(v, t)| v == vpc && t == tier))
    }

    fn tiers(&self, vpc: usize) -> Vec<&'static str> {
        let mut tiers: Vec<&'static str> =
            self.boxes.values().filter_map(|b| b.inside.filter(|(v, _)| *v == vpc).map(|(_, t)| t)).collect();
        tiers.sort();
        tiers.dedup();
        tiers
    }

    /// Mermaid `flowchart LR`.
    pub fn to_mermaid(&self) -> String {
        let mut s =
            format!("%% {}: generated by tap from the stack; edges are what tap checked.\nflowchart LR\n", self.name);
        self.mermaid_body(&mut s, "", "  ");
        for e in &self.edges {
            mermaid_edge(&mut s, "  ", &self.boxes[&e.from].id, &self.boxes[&e.to].id, &e.label, e.dashed);
        }
        s
    }

    /// The containers and boxes, ids prefixed with `prefix` (a stack's, in an app's diagram).
    fn mermaid_body(&self, s: &mut String, prefix: &str, ind: &str) {
        for (&v, label) in &self.vpcs {
            let _ = writeln!(s, "{ind}subgraph {prefix}vpc{v}[\"{}\"]", mermaid_text(label));
            for tier in self.tiers(v) {
                let _ = writeln!(s, "{ind}  subgraph {prefix}vpc{v}{tier}[\"{} subnets\"]", tier.to_lowercase());
                for b in self.inside(v, tier) {
                    let _ = writeln!(s, "{ind}    {prefix}{}[\"{}\"]", b.id, mermaid_text(&b.label));
                }
                let _ = writeln!(s, "{ind}  end");
            }
            let _ = writeln!(s, "{ind}end");
        }
        for b in self.boxes.values().filter(|b| b.inside.is_none()) {
            let _ = writeln!(s, "{ind}{prefix}{}[\"{}\"]", b.id, mermaid_text(&b.label));
        }
    }

    /// Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut s = format!("// {}: generated by tap from the stack; edges are what tap checked.\ndigraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, style=rounded];\n", self.name, dot_text(&self.name));
        self.dot_body(&mut s, "", "  ");
        for e in &self.edges {
            dot_edge(&mut s, "  ", &self.boxes[&e.from].id, &self.boxes[&e.to].id, &e.label, e.dashed);
        }
        s.push_str("}\n");
        s
    }

    fn dot_body(&self, s: &mut String, prefix: &str, ind: &str) {
        for (&v, label) in &self.vpcs {
            let _ = writeln!(s, "{ind}subgraph cluster_{prefix}vpc{v} {{\n{ind}  label=\"{}\";", dot_text(label));
            for tier in self.tiers(v) {
                let _ = writeln!(
                    s,
                    "{ind}  subgraph cluster_{prefix}vpc{v}{tier} {{\n{ind}    label=\"{} subnets\";",
                    tier.to_lowercase()
                );
                for b in self.inside(v, tier) {
                    let _ = writeln!(s, "{ind}    {prefix}{} [label=\"{}\"];", b.id, dot_text(&b.label));
                }
                let _ = writeln!(s, "{ind}  }}");
            }
            let _ = writeln!(s, "{ind}}}");
        }
        for b in self.boxes.values().filter(|b| b.inside.is_none()) {
            let _ = writeln!(s, "{ind}{prefix}{} [label=\"{}\"];", b.id, dot_text(&b.label));
        }
    }
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn mermaid_edge(s: &mut String, ind: &str, from: &str, to: &str, label: &str, dashed: bool) {
    let arrow = if dashed { "-.->" } else { "-->" };
    let _ = writeln!(s, "{ind}{from} {arrow}|\"{}\"| {to}", mermaid_text(label));
}

fn dot_edge(s: &mut String, ind: &str, from: &str, to: &str, label: &str, dashed: bool) {
    let style = if dashed { ", style=dashed" } else { "" };
    let _ = writeln!(s, "{ind}{from} -> {to} [label=\"{}\"{style}];", dot_text(label));
}

/// The diagram of an app's stacks: each stack a container with its own diagram inside, and
/// each use of another stack's resource an edge to that resource, where the stack that
/// exports it draws it (the import is not drawn as a box of its own).
#[derive(Debug)]
pub struct AppGraph {
    pub name: String,
    pub stacks: Vec<Graph>,
    /// `(stack, box)` uses `(stack, box)`.
    pub links: Vec<Link>,
}

/// An edge between two stacks' resources: what the consumer's resource does with the
/// producer's, through the export named.
#[derive(Debug, PartialEq)]
pub struct Link {
    pub from: (usize, usize),
    pub to: (usize, usize),
    pub label: String,
    pub dashed: bool,
}

/// The diagram of the stacks of one app (`name`: its package), each with the findings it
/// acknowledges; imports are joined to exports by name, so a hand-written `Import` of an
/// export of the app is drawn too.
pub fn app(name: &str, stacks: &[(&Checked, &[Acknowledged])]) -> AppGraph {
    let mut graphs: Vec<Graph> = stacks.iter().map(|(c, a)| graph(c, a)).collect();
    let mut exports: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (p, (checked, _)) in stacks.iter().enumerate() {
        for (_, o) in checked.of::<crate::kinds::output::Output>() {
            if let Some(e) = &o.export_name {
                exports.insert(e.value.as_str(), (p, o.value.target));
            }
        }
    }
    let mut links = Vec::new();
    for (c, (checked, _)) in stacks.iter().enumerate() {
        for (i, e) in checked.of::<Existing>() {
            let Some(&(p, target)) = e.imports().find_map(|(export, _)| exports.get(export)) else { continue };
            let g = &mut graphs[c];
            for edge in g.edges.iter().filter(|x| x.to == i || x.from == i) {
                let (from, to) = if edge.to == i { ((c, edge.from), (p, target)) } else { ((p, target), (c, edge.to)) };
                links.push(Link { from, to, label: edge.label.clone(), dashed: edge.dashed });
            }
            g.edges.retain(|x| x.to != i && x.from != i);
            g.boxes.remove(&i);
        }
    }
    links.retain(|l| graphs[l.from.0].boxes.contains_key(&l.from.1) && graphs[l.to.0].boxes.contains_key(&l.to.1));
    AppGraph { name: name.to_owned(), stacks: graphs, links }
}

impl AppGraph {
    fn id(&self, (stack, i): (usize, usize)) -> String {
        let g = &self.stacks[stack];
        format!("{}_{}", g.name, g.boxes[&i].id)
    }

    /// Mermaid `flowchart LR`, a subgraph per stack.
    pub fn to_mermaid(&self) -> String {
        let mut s = format!(
            "%% {}: generated by tap from the app's stacks; edges are what tap checked, across stacks through exports.\nflowchart LR\n",
            self.name
        );
        for g in &self.stacks {
            let prefix = format!("{}_", g.name);
            let _ = writeln!(s, "  subgraph {}[\"stack {}\"]", g.name, mermaid_text(&g.name));
            g.mermaid_body(&mut s, &prefix, "    ");
            for e in &g.edges {
                let (from, to) = (format!("{prefix}{}", g.boxes[&e.from].id), format!("{prefix}{}", g.boxes[&e.to].id));
                mermaid_edge(&mut s, "    ", &from, &to, &e.label, e.dashed);
            }
            s.push_str("  end\n");
        }
        for l in &self.links {
            mermaid_edge(&mut s, "  ", &self.id(l.from), &self.id(l.to), &format!("{} via export", l.label), l.dashed);
        }
        s
    }

    /// Graphviz DOT, a cluster per stack.
    pub fn to_dot(&self) -> String {
        let mut s = format!(
            "// {}: generated by tap from the app's stacks; edges are what tap checked, across stacks through exports.\ndigraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, style=rounded];\n",
            self.name,
            dot_text(&self.name)
        );
        for g in &self.stacks {
            let prefix = format!("{}_", g.name);
            let _ = writeln!(s, "  subgraph cluster_{} {{\n    label=\"stack {}\";", g.name, dot_text(&g.name));
            g.dot_body(&mut s, &prefix, "    ");
            for e in &g.edges {
                let (from, to) = (format!("{prefix}{}", g.boxes[&e.from].id), format!("{prefix}{}", g.boxes[&e.to].id));
                dot_edge(&mut s, "    ", &from, &to, &e.label, e.dashed);
            }
            s.push_str("  }\n");
        }
        for l in &self.links {
            dot_edge(&mut s, "  ", &self.id(l.from), &self.id(l.to), &format!("{} via export", l.label), l.dashed);
        }
        s.push_str("}\n");
        s
    }
}
