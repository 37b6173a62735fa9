//! Each resource decoded into its kind's struct, and the stack's deployment: every
//! malformed-input finding, in the order they are reported.

use crate::cfn::SUFFIX_MAX;
use std::collections::HashSet;

use super::unknown_kind;
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::kinds::decode::{Bindings, Decoder, ExistingSet, RawTypes};
use crate::kinds::schema::Lifecycle;
use crate::kinds::view::Deployment;
use crate::kinds::{Kind, Node};
use crate::model::{Loc, Seg, Stack};

/// Every resource decoded into its kind's struct (`None` where it cannot be), with every
/// malformed-input finding in the order they are reported: what is wrong with the
/// declarations themselves, then repeated bindings and names, then each resource's
/// properties as written.
pub(super) fn decode(stack: &Stack) -> (Vec<Finding>, Vec<Option<Node>>, Deployment) {
    let mut declarations = Vec::new();
    let mut properties = Vec::new();
    let kinds = kinds_of(stack, &mut declarations);
    let raw_types = raw_types(stack, &kinds);
    let (bindings, existing, mut repeated) = bind(stack, &kinds);

    let mut decoded: Vec<Option<Node>> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let node = kind.and_then(|kind| {
            let label = label(stack, i, kind, &bindings);
            let mut d = Decoder::new(&stack.resources[i], i, &bindings, &raw_types, &existing, &label);
            check_keys(&mut d, kind, &mut declarations);
            let res = kind.decode(&mut d);
            let (found, malformed) = d.finish();
            properties.extend(found);
            let moved_from = stack.resources[i].moved_from.clone();
            res.map(|res| Node { kind, binding: stack.resources[i].binding.clone(), label, res, malformed, moved_from })
        });
        decoded.push(node);
    }

    let mut repeats = repeated_names(&decoded);
    // A second declaration of a binding is reported, and not judged: what a rule would say
    // of it (nothing refers to it) comes from the repeat.
    for (i, _) in &repeated {
        decoded[*i] = None;
    }
    // A repeated binding is said before a repeated name of the same resource.
    repeated.append(&mut repeats);
    let mut repeats = repeated;
    repeats.sort_by_key(|(i, _)| *i);
    declarations.sort_by_key(|f| f.loc.resource);

    let mut out = Vec::new();
    let deployment = deployment(stack, &mut out);
    out.extend(declarations);
    out.extend(repeats.into_iter().map(|(_, f)| f));
    out.extend(properties);
    (out, decoded, deployment)
}

/// Each resource's kind, from the word written; a CloudFormation type (`AWS::Events::Rule`)
/// is a raw resource, unless refused. What is not a kind is reported.
fn kinds_of(stack: &Stack, declarations: &mut Vec<Finding>) -> Vec<Option<Kind>> {
    let mut kinds = Vec::new();
    for (i, r) in stack.resources.iter().enumerate() {
        if r.kind.contains("::") {
            kinds.push(match crate::kinds::raw::refused(&r.kind) {
                Some((dsl, message, fix)) => {
                    declarations.push(Finding::dsl(dsl, Loc::resource(i), message, fix));
                    None
                }
                None => Some(Kind::Raw),
            });
            continue;
        }
        let kind = Kind::from_word(&r.kind);
        if kind.is_none() {
            let (message, fix) = unknown_kind(&r.kind);
            declarations.push(Finding::dsl(Dsl::UnknownKind, Loc::resource(i), message, fix));
        }
        kinds.push(kind);
    }
    kinds
}

/// The CloudFormation type of each raw resource's binding.
fn raw_types(stack: &Stack, kinds: &[Option<Kind>]) -> RawTypes {
    let mut raw_types = RawTypes::new();
    for (i, r) in stack.resources.iter().enumerate() {
        if let (Some(Kind::Raw), Some(b), Some(schema)) =
            (kinds[i], &r.binding, crate::aws_data::registry::schema(&r.kind))
        {
            raw_types.entry(b.clone()).or_insert(schema.ty);
        }
    }
    raw_types
}

/// Each binding to its resource and kind (an existing resource typed as the kind it stands
/// for), and every second declaration of a binding, as a finding at its resource.
fn bind(stack: &Stack, kinds: &[Option<Kind>]) -> (Bindings, ExistingSet, Vec<(usize, Finding)>) {
    let mut bindings = Bindings::new();
    let mut existing = ExistingSet::new();
    let mut repeated = Vec::new();
    for (i, r) in stack.resources.iter().enumerate() {
        let (Some(b), Some(kind)) = (&r.binding, kinds[i]) else { continue };
        if bindings.contains_key(b) {
            repeated.push((
                i,
                Finding::dsl(
                    Dsl::Duplicate,
                    Loc::resource(i),
                    format!("`{b}` is declared twice"),
                    "give each resource its own binding",
                ),
            ));
        } else if kind == Kind::Existing {
            // References to it are typed as the kind it stands for (when that is one an
            // existing resource can be; its own decoding reports the rest).
            if let Some(of) = crate::kinds::existing::stands_for(r) {
                bindings.insert(b.clone(), (i, of));
                existing.insert(b.clone());
            }
        } else {
            bindings.insert(b.clone(), (i, kind));
        }
    }
    (bindings, existing, repeated)
}

/// The keys written, before the kind decodes them: one written twice (a declaration
/// finding), one the kind does not have (a property finding, at its position).
fn check_keys(d: &mut Decoder<'_>, kind: Kind, declarations: &mut Vec<Finding>) {
    let (i, spec) = (d.index(), kind.spec());
    let mut seen: Vec<&str> = Vec::new();
    for (position, (key, _)) in d.props().iter().enumerate() {
        let repeat = seen.iter().filter(|k| **k == key).count();
        seen.push(key);
        if repeat > 0 {
            let loc = Loc { resource: Some(i), path: vec![Seg::Field(key.clone()), Seg::Repeat(repeat)] };
            declarations.push(Finding::dsl(Dsl::Duplicate, loc, format!("property `{key}` is set twice"), "keep one"));
        } else if kind != Kind::Raw && spec.prop(key).is_none() {
            let names = kind.props().iter().map(|p| p.name);
            d.push_at(
                position,
                Finding::dsl(
                    Dsl::UnknownProperty,
                    Loc::field(i, key),
                    format!("{} has no property `{key}`{}", spec.noun, hint(did_you_mean(key, names.clone()))),
                    format!("{} properties: {}", spec.word, names.collect::<Vec<_>>().join(", ")),
                ),
            );
        }
    }
}

/// Physical names are unique within a kind: the second is reported, on its name.
fn repeated_names(decoded: &[Option<Node>]) -> Vec<(usize, Finding)> {
    let mut names = HashSet::new();
    let mut repeats = Vec::new();
    for (i, node) in decoded.iter().enumerate() {
        let Some(node) = node else { continue };
        let Some(name) = node.res.physical_name() else { continue };
        // Raw resources share one kind; their names are unique per CloudFormation type.
        let ty = match &node.res {
            crate::kinds::Res::Raw(raw) => raw.schema.ty,
            _ => node.spec().word,
        };
        if !names.insert((ty, name.0.clone())) {
            let at = name.loc.resource.unwrap_or(i);
            repeats.push((
                at,
                Finding::dsl(
                    Dsl::Duplicate,
                    name.loc.clone(),
                    format!("two {}s are named \"{}\"", node.spec().noun, name.0),
                    "physical names must be unique within a kind; rename one",
                ),
            ));
        }
    }
    repeats
}

/// How messages name resource `i`: its binding, else what it is attached to.
fn label(stack: &Stack, i: usize, kind: Kind, bindings: &Bindings) -> String {
    let r = &stack.resources[i];
    let noun = match kind {
        Kind::Raw => r.kind.clone(),
        Kind::Existing => crate::kinds::existing::stands_for(r)
            .map_or_else(|| kind.spec().noun.to_owned(), |k| format!("existing {}", k.spec().noun)),
        _ => kind.spec().noun.to_owned(),
    };
    match &r.binding {
        Some(b) => format!("{noun} `{b}`"),
        None => match r.props.iter().find_map(|(_, v)| v.names().filter(|n| bindings.contains_key(*n))) {
            Some(target) => format!("{noun} of `{target}`"),
            None => noun,
        },
    }
}

/// The stack's lifecycles (`#[stack(lifecycles = [..], durable_suffixes = [..])]`): known
/// words, each once; a stack that supports `Durable` names its durable suffixes, and only
/// such a stack does.
fn deployment(stack: &Stack, out: &mut Vec<Finding>) -> Deployment {
    let at = |key: &str, n: Option<usize>| {
        let loc = Loc { resource: None, path: vec![Seg::Key(key.to_owned())] };
        n.map_or(loc.clone(), |n| loc.push(Seg::Index(n)))
    };
    let mut lifecycles = Vec::new();
    for (n, word) in stack.lifecycles.iter().enumerate() {
        match Lifecycle::from_word(word) {
            Some(l) if lifecycles.contains(&l) => out.push(Finding::dsl(
                Dsl::Duplicate,
                at("lifecycles", Some(n)),
                format!("lifecycle `{word}` is listed twice"),
                "keep one",
            )),
            Some(l) => lifecycles.push(l),
            None => out.push(Finding::dsl(
                Dsl::WrongType,
                at("lifecycles", Some(n)),
                format!("`{word}` is not a lifecycle{}", hint(did_you_mean(word, Lifecycle::WORDS.iter().copied()))),
                format!("use one of: {}", Lifecycle::WORDS.join(", ")),
            )),
        }
    }
    if stack.lifecycles.is_empty() {
        lifecycles.push(Lifecycle::Ephemeral);
    }
    let durable = lifecycles.contains(&Lifecycle::Durable);
    let mut suffixes: Vec<String> = Vec::new();
    for (n, s) in stack.durable_suffixes.iter().enumerate() {
        let valid =
            (1..=SUFFIX_MAX).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !valid {
            out.push(Finding::dsl(
                Dsl::WrongType,
                at("durable_suffixes", Some(n)),
                format!("\"{s}\" cannot be an environment suffix"),
                format!("use 1 to {SUFFIX_MAX} lowercase letters or digits, like \"prod\""),
            ));
        } else if suffixes.contains(s) {
            out.push(Finding::dsl(
                Dsl::Duplicate,
                at("durable_suffixes", Some(n)),
                format!("suffix \"{s}\" is listed twice"),
                "keep one",
            ));
        } else {
            suffixes.push(s.clone());
        }
    }
    if durable && stack.durable_suffixes.is_empty() {
        out.push(Finding::dsl(
            Dsl::Missing,
            at("lifecycles", None),
            "a stack that supports `Durable` names the environments that are durable",
            "add `durable_suffixes = [\"prod\"]`: the durable template accepts only those suffixes, the ephemeral one refuses them",
        ));
    }
    // (After a misspelt lifecycle, whether `Durable` was meant is unknown: say nothing more.)
    let all_known = stack.lifecycles.iter().all(|w| Lifecycle::from_word(w).is_some());
    if !durable && all_known && !stack.durable_suffixes.is_empty() {
        out.push(Finding::dsl(
            Dsl::WrongType,
            at("durable_suffixes", None),
            "durable suffixes are given, but the stack does not support `Durable`",
            "add `lifecycles = [Ephemeral, Durable]`, or remove `durable_suffixes`",
        ));
    }
    Deployment { lifecycles, durable_suffixes: suffixes }
}
