//! From syntax to tap-core's model, remembering which tokens each model node came from.

use std::collections::HashMap;

use proc_macro2::Span;
use tap_core::{Kind, Loc, Resource, Seg, Stack, Value};

use crate::ast::{Decl, Field, ValueAst};
use crate::ctxt::Ctxt;

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
}

pub fn lower(name: &str, decls: &[Decl], cx: &mut Ctxt) -> (Stack, Spans) {
    let mut stack = Stack::new(name);
    let mut spans = Spans::default();
    for decl in decls {
        let Some(kind) = Kind::from_word(&decl.kind.to_string()) else {
            let (msg, fix) = tap_core::validate::unknown_kind(&decl.kind.to_string());
            cx.error(decl.kind.span(), decl.kind.span(), tap_core::validate::UNKNOWN_KIND, &msg, &fix);
            continue;
        };
        let index = stack.resources.len();
        let mut resource = Resource::new(kind, decl.binding.as_ref().map(|b| b.to_string()).as_deref());
        spans.0.insert(Loc::resource(index), (decl.kind.span(), decl.kind.span()));
        for field in &decl.fields {
            let key = field.key.to_string();
            if resource.props.contains_key(&key) {
                cx.error(field.key.span(), field.key.span(), tap_core::validate::DUPLICATE, &format!("property `{key}` is set twice"), "keep one");
                continue;
            }
            spans.0.insert(Loc { resource: Some(index), path: vec![Seg::Field(key.clone())] }, (field.key.span(), field.key.span()));
            let value = lower_value(&field.value, &Loc::prop(index, &key), &mut spans);
            resource.props.insert(key, value);
        }
        stack.push(resource);
    }
    (stack, spans)
}

fn lower_value(v: &ValueAst, loc: &Loc, spans: &mut Spans) -> Value {
    spans.0.insert(loc.clone(), v.span());
    match v {
        ValueAst::Str(s) => Value::Str(s.value()),
        ValueAst::Int(n, _) => Value::Int(*n),
        ValueAst::Bool(b) => Value::Bool(b.value),
        ValueAst::Word(w) => Value::Word(w.to_string()),
        ValueAst::Attr(t, a) => Value::Ref { target: t.to_string(), attr: Some(a.to_string()) },
        ValueAst::List(_, items) => {
            Value::List(items.iter().enumerate().map(|(n, item)| lower_value(item, &loc.push(Seg::Index(n)), spans)).collect())
        }
        ValueAst::Map(_, fields) => Value::Map(lower_map(fields, loc, spans)),
        ValueAst::Call(name, args) => Value::Call {
            name: name.to_string(),
            args: args.iter().enumerate().map(|(n, a)| lower_value(a, &loc.push(Seg::Index(n)), spans)).collect(),
        },
    }
}

fn lower_map(fields: &[Field], loc: &Loc, spans: &mut Spans) -> indexmap::IndexMap<String, Value> {
    let mut out = indexmap::IndexMap::new();
    for f in fields {
        let key = f.key.to_string();
        let mut field_loc = loc.clone();
        field_loc.path.push(Seg::Field(key.clone()));
        spans.0.insert(field_loc, (f.key.span(), f.key.span()));
        let v = lower_value(&f.value, &loc.push(Seg::Key(key.clone())), spans);
        out.insert(key, v);
    }
    out
}
