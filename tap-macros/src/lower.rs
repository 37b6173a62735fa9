//! From syntax to tap-core's property bag, remembering which tokens each node came from.
//! Nothing is judged here: unknown kinds, repeated properties and every other malformed
//! input are tap-core's to report, so the macro and the plain API report them alike.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::LitStr;
use tap_core::model::Expect;
use tap_core::{Loc, Resource, Seg, Stack, Value};

use crate::ast::{Decl, Field, ValueAst};

/// Model node -> (first token, last token).
#[derive(Default)]
pub struct Spans(HashMap<Loc, (Span, Span)>);

impl Spans {
    /// The tokens of a node, or of its closest written ancestor (a missing property points
    /// at its resource's kind word), or the macro's call site.
    pub fn of(&self, loc: &Loc) -> (Span, Span) {
        let mut cur = Some(loc.clone());
        while let Some(l) = cur {
            if let Some(s) = self.0.get(&l) {
                return *s;
            }
            cur = l.parent();
        }
        (Span::call_site(), Span::call_site())
    }
    /// What a finding about the stack as a whole points at: the stack function's name.
    pub fn set_stack(&mut self, name: Span) {
        self.0.insert(Loc::stack(), (name, name));
    }
    /// A node the link stage added points at the tokens of `at` (the reference that made it).
    pub fn alias(&mut self, loc: Loc, at: &Loc) {
        let span = self.of(at);
        self.insert(loc, span);
    }
    fn insert(&mut self, loc: Loc, span: (Span, Span)) {
        // The first occurrence keeps its tokens; a repeat is found through `Seg::Repeat`.
        self.0.entry(loc).or_insert(span);
    }
}

pub fn lower(name: &str, decls: &[Decl]) -> (Stack, Spans) {
    let mut stack = Stack::new(name);
    let mut spans = Spans::default();
    for (index, decl) in decls.iter().enumerate() {
        let mut resource = Resource::new(decl.kind.text(), decl.binding.as_ref().map(|b| b.to_string()).as_deref());
        spans.insert(Loc::resource(index), decl.kind.span());
        let mut written: HashMap<String, usize> = HashMap::new();
        for field in &decl.fields {
            let key = field.key.to_string();
            let key_span = (field.key.span(), field.key.span());
            let repeat = written.entry(key.clone()).or_insert(0);
            if *repeat > 0 {
                let loc = Loc { resource: Some(index), path: vec![Seg::Field(key.clone()), Seg::Repeat(*repeat)] };
                spans.insert(loc, key_span);
            } else {
                spans.insert(Loc::field(index, &key), key_span);
            }
            *repeat += 1;
            let value = lower_value(&field.value, &Loc::prop(index, &key), &mut spans);
            resource.props.push((key, value));
        }
        for (n, e) in decl.expects.iter().enumerate() {
            spans.insert(Loc::expect(index, n, "rule"), (e.rule.span(), e.rule.span()));
            spans.insert(Loc::expect(index, n, "reason"), (e.reason.span(), e.reason.span()));
            if let Some(at) = &e.at {
                spans.insert(Loc::expect(index, n, "at"), (at.span(), at.span()));
            }
            resource.expects.push(Expect {
                rule: e.rule.value(),
                at: e.at.as_ref().map(LitStr::value),
                reason: e.reason.value(),
            });
        }
        if let Some(from) = &decl.moved {
            spans.insert(Loc::moved(index), (from.span(), from.span()));
            resource.moved_from = Some(from.value());
        }
        stack.push(resource);
    }
    (stack, spans)
}

/// The stack's `forget!`s, each remembered with its id's token.
pub fn lower_forgets(stack: &mut Stack, spans: &mut Spans, forgets: &[crate::ast::ForgetAst]) {
    for (n, f) in forgets.iter().enumerate() {
        spans.insert(Loc::forget(n), (f.id.span(), f.id.span()));
        stack.forget(&f.id.value(), &f.reason.value());
    }
}

/// The stack's lifecycle arguments, each remembered with its token.
pub fn lower_deployment(
    stack: &mut Stack,
    spans: &mut Spans,
    lifecycles: &[proc_macro2::Ident],
    suffixes: &[syn::LitStr],
) {
    let at = |key: &str| Loc { resource: None, path: vec![Seg::Key(key.to_owned())] };
    if let (Some(first), Some(last)) = (lifecycles.first(), lifecycles.last()) {
        spans.insert(at("lifecycles"), (first.span(), last.span()));
    }
    if let (Some(first), Some(last)) = (suffixes.first(), suffixes.last()) {
        spans.insert(at("durable_suffixes"), (first.span(), last.span()));
    }
    for (n, l) in lifecycles.iter().enumerate() {
        spans.insert(at("lifecycles").push(Seg::Index(n)), (l.span(), l.span()));
        stack.lifecycles.push(l.to_string());
    }
    for (n, s) in suffixes.iter().enumerate() {
        spans.insert(at("durable_suffixes").push(Seg::Index(n)), (s.span(), s.span()));
        stack.durable_suffixes.push(s.value());
    }
}

fn lower_value(v: &ValueAst, loc: &Loc, spans: &mut Spans) -> Value {
    spans.insert(loc.clone(), v.span());
    match v {
        ValueAst::Str(s) => Value::Str(s.value()),
        ValueAst::Int(n, _) => Value::Int(*n),
        ValueAst::Bool(b) => Value::Bool(b.value),
        ValueAst::Word(w) => Value::Word(w.to_string()),
        ValueAst::Attr(t, a) => Value::Dot { target: t.to_string(), member: a.to_string() },
        ValueAst::Remote(stack, binding, member) => {
            let target = format!("{stack}::{binding}");
            match member {
                Some(m) => Value::Dot { target, member: m.to_string() },
                None => Value::Word(target),
            }
        }
        ValueAst::List(_, items) => Value::List(
            items.iter().enumerate().map(|(n, item)| lower_value(item, &loc.push(Seg::Index(n)), spans)).collect(),
        ),
        ValueAst::Map(_, fields) => Value::Map(lower_map(fields, loc, spans)),
        ValueAst::Call(name, args) => Value::Call {
            name: name.to_string(),
            args: args.iter().enumerate().map(|(n, a)| lower_value(a, &loc.push(Seg::Index(n)), spans)).collect(),
        },
    }
}

fn lower_map(fields: &[Field], loc: &Loc, spans: &mut Spans) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for f in fields {
        let key = f.key.to_string();
        spans.insert(loc.push(Seg::Field(key.clone())), (f.key.span(), f.key.span()));
        let v = lower_value(&f.value, &loc.push(Seg::Key(key.clone())), spans);
        out.push((key, v));
    }
    out
}
