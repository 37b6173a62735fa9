//! tap's DSL: `#[stack]` over a function whose body declares resources with
//! `resource!(Kind { .. })`. The attribute sees the whole stack at once, so it can check
//! names, removal policies, grants against references, network paths and more at compile
//! time; every finding becomes a compile error on the token to change.
//!
//! Pipeline (after RTIC's `#[app]`): parse ([`ast`]) -> lower into tap-core's model, keeping
//! spans ([`lower`]) -> tap-core validates and checks (the same code `synth()` runs) ->
//! generate ([`codegen`]). The macro itself judges only syntax.

use proc_macro::TokenStream;
use quote::{quote, ToTokens};
use syn::parse::Parse;
use syn::parse::Parser;
use syn::{Expr, Ident, ItemFn, LitStr, Pat, Stmt};

mod ast;
mod codegen;
mod component;
mod ctxt;
mod lower;
mod sarif;
#[cfg(test)]
mod fuzz;

use ast::{Body, Decl};
use ctxt::Ctxt;

/// Declares a stack. The function's body holds only `let x = resource!(Kind { .. });` and
/// `resource!(Kind { .. });` statements; the function then returns the checked
/// `tap::Stack`. Argument: `name = "StackName"` (defaults to the function's name).
#[proc_macro_attribute]
pub fn stack(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_stack(args.into(), item.into(), source_dir()).into()
}

/// `#[stack]` on proc-macro2 tokens, with the directory relative paths are resolved
/// against: what the attribute does, callable outside a compiler (the fuzz test). A stack
/// alone is an app of one: a reference to another stack (`data::orders`) is refused.
fn expand_stack(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
    root: std::path::PathBuf,
) -> proc_macro2::TokenStream {
    expand_stack_with(args, item, root, None)
}

/// [`expand_stack`], with the declarations of the components the stack uses once they are
/// gathered (`None` the first time: a stack that uses components then expands to the chain
/// that gathers them, see `component.rs`).
fn expand_stack_with(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
    root: std::path::PathBuf,
    components: Option<&Components>,
) -> proc_macro2::TokenStream {
    let item_fn = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            return ctxt::from_syn(e, &item, "#[stack] goes on a function", "write `#[stack] pub fn my_stack() { .. }`")
                .to_compile_error()
        }
    };
    let member = prepare(args.clone(), item_fn, root.clone(), components);
    if let Err(paths) = &member.components {
        return component::gather(&[], paths, &root, false, &args, &item);
    }
    let mut members = vec![member];
    let linked = link(&mut members);
    let mut out = proc_macro2::TokenStream::new();
    for (member, findings) in members.into_iter().zip(linked.per_member) {
        out.extend(finish(member, findings));
    }
    out
}

/// Declares the stacks of one app: `#[tap::app] pub mod shop { #[stack] pub fn data() { .. }
/// #[stack] pub fn service() { .. } }`. A stack names another's resource as `data::orders`
/// (`data::orders.arn`, `data::orders.write`): the producer exports it, the consumer
/// imports it, and the consumer's rules judge it as one of its own. The module gets
/// `stacks()`, every stack in the order they deploy.
#[proc_macro_attribute]
pub fn app(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_app(args.into(), item.into(), source_dir()).into()
}

/// Declares a component: a pattern of resources used in stacks as
/// `let orders = component!(queue_worker { name: "orders", .. });`, its parameters typed
/// (`Name`, `Text`, `Int`, `Bool`, `Code`, or a kind of resource). It becomes a macro of the
/// same name, used by path from this crate or another (see the guide).
#[proc_macro_attribute]
pub fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    component::expand(args.into(), item.into()).into()
}

/// The end of the chain that gathers a stack's components: the stack (or app) expanded with
/// every declaration it uses. Generated code only.
#[doc(hidden)]
#[proc_macro]
pub fn __with_components(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    let gathered = match syn::parse2::<component::Gathered>(input.clone()) {
        Ok(g) => g,
        Err(e) => {
            return ctxt::from_syn(e, &input, "malformed component chain", COMPONENT_FIX).to_compile_error().into()
        }
    };
    let root = std::path::PathBuf::from(&gathered.root);
    if !gathered.pending.is_empty() {
        let out = component::gather(
            &gathered.definitions,
            &gathered.pending,
            &root,
            gathered.app,
            &gathered.args,
            &gathered.item,
        );
        return out.into();
    }
    // Each declaration's own errors were said where it is declared.
    let mut quiet = Ctxt::default();
    // The declarations' tokens come out of the component's `macro_rules!`; resolved where the
    // stack is, a finding on them reads as one on the user's code, not as the inside of a macro.
    let here = gathered.item.clone().into_iter().next().map_or_else(proc_macro2::Span::call_site, |t| t.span());
    let mut defs = Components::new();
    for tokens in &gathered.definitions {
        match syn::parse2::<ItemFn>(component::respan(tokens.clone(), here)) {
            Ok(f) => {
                defs.insert(f.sig.ident.to_string(), component::definition(&f, &mut quiet));
            }
            Err(e) => {
                return ctxt::from_syn(e, tokens, "malformed component chain", COMPONENT_FIX).to_compile_error().into()
            }
        }
    }
    let out = if gathered.app {
        expand_app_with(gathered.args, gathered.item, root, Some(&defs))
    } else {
        expand_stack_with(gathered.args, gathered.item, root, Some(&defs))
    };
    out.into()
}

fn expand_app(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
    root: std::path::PathBuf,
) -> proc_macro2::TokenStream {
    expand_app_with(args, item, root, None)
}

/// [`expand_app`], with the declarations of the components its stacks use (see
/// [`expand_stack_with`]).
fn expand_app_with(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
    root: std::path::PathBuf,
    components: Option<&Components>,
) -> proc_macro2::TokenStream {
    const FIX: &str =
        "write `#[tap::app] pub mod my_app { #[stack] pub fn data() { .. } #[stack] pub fn service() { .. } }`";
    let mut module = match syn::parse2::<syn::ItemMod>(item.clone()) {
        Ok(m) => m,
        Err(e) => return ctxt::from_syn(e, &item, "#[tap::app] goes on a module", FIX).to_compile_error(),
    };
    let mut errors = proc_macro2::TokenStream::new();
    if let Some(first) = args.clone().into_iter().next() {
        errors.extend(ctxt::syntax_error(first.span(), "#[tap::app] takes no arguments", FIX).to_compile_error());
    }
    let Some((_, items)) = module.content.take() else {
        return ctxt::syntax_error(module.ident.span(), "#[tap::app] goes on a module written inline", FIX)
            .to_compile_error();
    };
    // Each `#[stack]` function becomes a member; every other item stays as it is.
    let mut members = Vec::new();
    let mut kept = Vec::new();
    for item in items {
        let syn::Item::Fn(mut f) = item else {
            kept.push(item);
            continue;
        };
        let Some(at) = f.attrs.iter().position(|a| a.path().segments.last().is_some_and(|s| s.ident == "stack")) else {
            kept.push(syn::Item::Fn(f));
            continue;
        };
        let attr = f.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        members.push(prepare(args, f, root.clone(), components));
    }
    let pending: Vec<syn::Path> =
        members.iter().filter_map(|m| m.components.as_ref().err()).flatten().cloned().collect();
    if !pending.is_empty() {
        let paths = component::distinct_paths(pending);
        return component::gather(&[], &paths, &root, true, &args, &item);
    }
    if members.is_empty() {
        return ctxt::syntax_error(module.ident.span(), "#[tap::app] declares at least one `#[stack]` function", FIX)
            .to_compile_error();
    }
    let linked = link(&mut members);
    let order: Vec<Ident> = linked.order.iter().map(|&m| members[m].item_fn.sig.ident.clone()).collect();
    let mut out = proc_macro2::TokenStream::new();
    for (member, findings) in members.into_iter().zip(linked.per_member) {
        out.extend(finish(member, findings));
    }
    let stacks = quote! {
        /// The app's stacks, each after the stacks it imports from: the order they deploy in
        /// (deleting goes in the reverse).
        pub fn stacks() -> ::std::vec::Vec<::tap::Stack> {
            ::std::vec![#(#order()),*]
        }
    };
    let (attrs, vis, ident) = (&module.attrs, &module.vis, &module.ident);
    quote! {
        #errors
        #(#attrs)*
        #vis mod #ident {
            #(#kept)*
            #out
            #stacks
        }
    }
}

/// The components gathered for an expansion, by name.
type Components = std::collections::HashMap<String, component::Definition>;

/// One stack of an expansion, lowered and not yet checked.
struct Member {
    item_fn: ItemFn,
    cx: Ctxt,
    stack: tap_core::Stack,
    spans: lower::Spans,
    root: std::path::PathBuf,
    started: std::time::Instant,
    /// Which instance each resource belongs to; `Err`: the components still to gather.
    components: Result<component::Origins, Vec<syn::Path>>,
}

/// Parse and lower one stack function, its components' instances expanded in place.
fn prepare(
    args: proc_macro2::TokenStream,
    item_fn: ItemFn,
    root: std::path::PathBuf,
    components: Option<&Components>,
) -> Member {
    let started = std::time::Instant::now();
    let mut cx = Ctxt::default();
    check_signature(&item_fn, &mut cx);
    let args = parse_args(args, &item_fn, &mut cx);
    let Declared { decls, forgets, uses } = collect(&item_fn, &mut cx);
    let (decls, origins) = match components {
        _ if uses.is_empty() => (decls, Ok(component::Origins::default())),
        Some(defs) => {
            let (decls, origins) = component::expand_uses(decls, uses, defs, &mut cx);
            (decls, Ok(origins))
        }
        None => {
            let paths = component::distinct_paths(uses.into_iter().map(|(_, u)| u.path).collect());
            (decls, Err(paths))
        }
    };
    let (mut stack, mut spans) = lower::lower(&args.name, &decls);
    lower::lower_forgets(&mut stack, &mut spans, &forgets);
    spans.set_stack(item_fn.sig.ident.span());
    lower::lower_deployment(&mut stack, &mut spans, &args.lifecycles, &args.durable_suffixes);
    stack.root = Some(root.clone());
    Member { item_fn, cx, stack, spans, root, started, components: origins }
}

/// What linking the members said, per member, in the members' order.
struct Links {
    order: Vec<usize>,
    per_member: Vec<Vec<tap_core::Finding>>,
}

/// Joins the members' references to each other (`tap_core::link`). A member with a syntax
/// error has holes, so the app is not linked at all then: its references would only add noise.
fn link(members: &mut [Member]) -> Links {
    let n = members.len();
    if members.iter().any(|m| m.cx.has_errors()) {
        return Links { order: (0..n).collect(), per_member: vec![Vec::new(); n] };
    }
    let mut joined: Vec<tap_core::link::Member> = members
        .iter_mut()
        .map(|m| tap_core::link::Member {
            key: m.item_fn.sig.ident.to_string(),
            stack: std::mem::replace(&mut m.stack, tap_core::Stack::new("")),
        })
        .collect();
    let linked = tap_core::link::link(&mut joined);
    for (m, j) in members.iter_mut().zip(joined) {
        m.stack = j.stack;
    }
    for added in &linked.added {
        members[added.member].spans.alias(tap_core::Loc::resource(added.resource), &added.at.1);
    }
    let mut per_member = vec![Vec::new(); n];
    for (m, f) in linked.findings {
        per_member[m].push(f);
    }
    Links { order: linked.order, per_member }
}

/// Check one linked stack, and generate its function and bindings. `linked`: what linking
/// found in it; the check's findings on the same references are not said twice.
fn finish(member: Member, linked: Vec<tap_core::Finding>) -> proc_macro2::TokenStream {
    let Member { item_fn, mut cx, stack, spans, root, started, components } = member;
    let origins = components.unwrap_or_default();
    let name = stack.name.clone();
    // Syntax errors leave holes in the stack; checking what is left would only add noise.
    let mut lock_file = None;
    let (checked, acknowledged) = if cx.has_errors() {
        (None, Vec::new())
    } else {
        let outcome = tap_core::check_all(&stack);
        let at_link_error = |f: &tap_core::Finding| {
            linked.iter().any(|l| l.loc.resource == f.loc.resource && f.loc.path.starts_with(&l.loc.path))
        };
        let mut findings: Vec<tap_core::Finding> = linked.clone();
        findings.extend(outcome.findings.0.into_iter().filter(|f| !at_link_error(f)));
        if let Some(checked) = &outcome.checked {
            let (verdict, path) = lock(checked, &root, findings.is_empty());
            findings.extend(verdict);
            lock_file = path;
        }
        for f in &mut findings {
            // A finding on a component's resource names the instance it is in.
            f.message = origins.name(f.loc.resource, &f.message);
            let (start, end) = spans.of(&f.loc);
            cx.finding(start, end, f);
        }
        (outcome.checked, outcome.acknowledged)
    };
    sarif::write(&name, &cx.reported, &acknowledged, &spans);
    // On error, still emit the function (returning an empty stack) so callers type-check
    // and the user sees only the stack's own errors.
    let body = if cx.has_errors() { codegen::fallback(&stack) } else { codegen::stack(&stack) };
    // Bindings are emitted even on error (from the bag, as far as it goes, when the stack
    // is malformed), so code that uses them reports nothing extra.
    let bindings = match &checked {
        Some(checked) => codegen::bindings(tap_core::generate::bindings(checked)),
        None => codegen::bindings(tap_core::generate::bindings_unchecked(&stack)),
    };
    let errors = cx.into_compile_errors();
    let mut out = codegen::wrap(&item_fn, body, bindings);
    // The lock is an input of the expansion: a change to it (by hand) checks the stack again.
    if let Some(path) = lock_file.and_then(|p| p.to_str().map(str::to_owned)) {
        out.extend(quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        ));
    }
    let tokens = quote!(#errors #out);
    // Opt-in self-timing for the benchmark (benches/macro_cost.rs); off, it costs nothing.
    if std::env::var_os("TAP_MACRO_TIMING").is_some() {
        eprintln!(
            "tap-macro-timing: stack={name} resources={} micros={}",
            stack.resources.len(),
            started.elapsed().as_micros()
        );
    }
    tokens
}

/// Checks the stack against its lock of kept identities (`tap_core::lock`), beside the
/// stack's source, and writes the lock when the stack added a kept resource (never in a
/// unit test, never for a dependency, and never when `TAP_LOCKED` makes it read-only).
/// Returns the lock's findings and its path, when there is a lock to track.
fn lock(
    checked: &tap_core::Checked,
    root: &std::path::Path,
    clean: bool,
) -> (Vec<tap_core::Finding>, Option<std::path::PathBuf>) {
    // A dependency's stack (cargo builds it as a package that is not primary, from a
    // directory that may be read-only) is its author's to lock, not this build's.
    if !proc_macro::is_available() || std::env::var_os("CARGO_PRIMARY_PACKAGE").is_none() {
        return (Vec::new(), None);
    }
    let path = root.join(tap_core::lock::file_name(&checked.name));
    let old = std::fs::read_to_string(&path).ok();
    let verdict = tap_core::lock::check(checked, old.as_deref(), clean, std::env::var_os("TAP_LOCKED").is_some());
    if let Some(text) = &verdict.write {
        // A lock that cannot be written is said: the next build would miss it.
        if let Err(why) = tap_core::write_if_changed(&path, text.as_bytes()) {
            let id = tap_core::LockError::Stale.id();
            let message = format!("cannot write {}: {why}", path.display());
            return (
                vec![tap_core::Finding::new(id, tap_core::Loc::stack(), message, "make the directory writable")],
                None,
            );
        }
    }
    (verdict.findings, path.is_file().then_some(path))
}

/// A stack function takes nothing and returns nothing: the macro gives it its return type,
/// and it runs in build scripts and tests where no arguments exist. Anything else would be
/// silently dropped, so it is an error on the token.
fn check_signature(item: &ItemFn, cx: &mut Ctxt) {
    let sig = &item.sig;
    if let Some(a) = &sig.asyncness {
        cx.syntax(a, "a #[stack] function is not `async`", "remove `async`: the stack is declared, not run");
    }
    if !sig.inputs.is_empty() {
        cx.syntax(
            &sig.inputs,
            "a #[stack] function takes no arguments",
            "remove the arguments; values a stack needs are written in it",
        );
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        cx.syntax(
            ty,
            "a #[stack] function declares no return type",
            "remove it: `#[stack]` makes the function return `tap::Stack`",
        );
    }
    if !sig.generics.params.is_empty() {
        cx.syntax(&sig.generics, "a #[stack] function is not generic", "remove the generic parameters");
    }
}

/// Declares one resource inside a `#[stack]` function; the attribute reads it from there.
/// Used anywhere else it is an error, since a resource alone cannot be checked.
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    let span = match syn::parse2::<Body>(input.clone()) {
        Ok(body) => body.kind.span().0,
        Err(e) => return ctxt::from_syn(e, &input, "malformed resource", RESOURCE_FIX).to_compile_error().into(),
    };
    ctxt::syntax_error(
        span,
        "`resource!` declares a resource of a stack",
        "write it as `let name = resource!(..);` inside a `#[tap::stack]` function",
    )
    .to_compile_error()
    .into()
}

/// Acknowledges a finding on the resource it is written on, inside a `#[stack]`:
/// `#[tap::expect("TAP-PUBLIC-001", reason = "..")]`. The stack reads it from there; used
/// anywhere else it is an error.
#[proc_macro_attribute]
pub fn expect(_args: TokenStream, item: TokenStream) -> TokenStream {
    outside(item, "`#[tap::expect]` acknowledges a finding of a resource in a stack")
}

/// Keeps a renamed resource's locked logical id, inside a `#[stack]`:
/// `#[tap::moved(from = "Database")]`. Used anywhere else it is an error.
#[proc_macro_attribute]
pub fn moved(_args: TokenStream, item: TokenStream) -> TokenStream {
    outside(item, "`#[tap::moved]` keeps a renamed resource's locked logical id in a stack")
}

/// Lets a locked resource leave a stack, inside a `#[stack]`:
/// `tap::forget!("ArchiveBucket", reason = "..");`. Used anywhere else it is an error.
#[proc_macro]
pub fn forget(input: TokenStream) -> TokenStream {
    misplaced(
        &input.into(),
        "`tap::forget!` lets a locked resource leave a stack",
        "write it inside a `#[tap::stack]` function",
    )
    .into()
}

/// The error of a stack's attribute written outside a stack, with the item kept.
fn outside(item: TokenStream, message: &str) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let error =
        misplaced(&item, message, "write it on a `let name = resource!(..);` inside a `#[tap::stack]` function");
    quote!(#error #item).into()
}

/// A syntax error on the first of `tokens`: what a stack reads, written outside one.
fn misplaced(tokens: &proc_macro2::TokenStream, message: &str, fix: &str) -> proc_macro2::TokenStream {
    let at = tokens.clone().into_iter().next().map_or_else(proc_macro2::Span::call_site, |t| t.span());
    ctxt::syntax_error(at, message, fix).to_compile_error()
}

/// `#[stack(name = "..", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]`.
/// Only the syntax is judged here; the words and suffixes are tap-core's to check.
struct Args {
    name: String,
    /// Each word with its token.
    lifecycles: Vec<Ident>,
    durable_suffixes: Vec<LitStr>,
}

const ARGS_FIX: &str =
    "the arguments are `name = \"StackName\"`, `lifecycles = [Ephemeral, Durable]` and `durable_suffixes = [\"prod\"]`";

fn parse_args(args: proc_macro2::TokenStream, item: &ItemFn, cx: &mut Ctxt) -> Args {
    let mut name = None;
    let mut lifecycles = Vec::new();
    let mut durable_suffixes = Vec::new();
    // `key = value` pairs separated by commas, read within the span of the last argument
    // token, so an error at the end of the arguments (`#[stack(name)]`) points at it.
    let parser = |content: syn::parse::ParseStream<'_>| {
        while !content.is_empty() {
            let key: Ident = content.parse()?;
            content.parse::<syn::Token![=]>()?;
            if key == "name" {
                name = Some(content.parse::<LitStr>()?.value());
            } else if key == "lifecycles" {
                let list;
                syn::bracketed!(list in content);
                lifecycles = list.parse_terminated(Ident::parse, syn::Token![,])?.into_iter().collect();
            } else if key == "durable_suffixes" {
                let list;
                syn::bracketed!(list in content);
                durable_suffixes = list
                    .parse_terminated(|p: syn::parse::ParseStream<'_>| p.parse::<LitStr>(), syn::Token![,])?
                    .into_iter()
                    .collect();
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    crate::ctxt::raise(tap_core::Dsl::Syntax, "unknown #[stack] argument", ARGS_FIX),
                ));
            }
            if !content.is_empty() {
                content.parse::<syn::Token![,]>()?;
            }
        }
        Ok(())
    };
    let end = args.clone().into_iter().last().map(|t| t.span());
    if let Err(e) = parse_within(args.clone(), end, parser) {
        cx.syn(e, &args, "malformed #[stack] arguments", ARGS_FIX);
    }
    Args {
        name: name.unwrap_or_else(|| tap_core::cfn::pascal(&item.sig.ident.to_string())),
        lifecycles,
        durable_suffixes,
    }
}

const RESOURCE_FIX: &str = "write `resource!(Kind { property: value, .. })`";

const NOT_A_DECLARATION: (&str, &str) = (
    "a #[stack] body holds only resource declarations",
    "write `let name = resource!(Kind { .. });` (or `component!(..)`) and compute values outside the stack",
);

/// What a stack's (or a component's) body declares.
struct Declared {
    decls: Vec<Decl>,
    forgets: Vec<ast::ForgetAst>,
    /// Each `component!` use, with the number of declarations written before it.
    uses: Vec<(usize, component::Use)>,
}

/// The `resource!` statements of the body, with their bindings, its `forget!`s and its
/// `component!` uses.
fn collect(item: &ItemFn, cx: &mut Ctxt) -> Declared {
    let mut decls = Vec::new();
    let mut forgets = Vec::new();
    let mut uses = Vec::new();
    for stmt in &item.block.stmts {
        let attrs = match stmt {
            Stmt::Local(local) => &local.attrs[..],
            Stmt::Macro(m) => &m.attrs[..],
            Stmt::Expr(Expr::Macro(m), _) => &m.attrs[..],
            _ => &[],
        };
        let (expects, moved) = attributes(attrs, cx);
        let (binding, mac) = match stmt {
            Stmt::Local(local) => {
                let binding = match &local.pat {
                    Pat::Ident(p) => p.ident.clone(),
                    other => {
                        cx.syntax(other, "a resource is bound to a plain name", "write `let archive = resource!(..);`");
                        continue;
                    }
                };
                match local.init.as_ref().map(|i| &*i.expr) {
                    Some(Expr::Macro(m)) => (Some(binding), &m.mac),
                    _ => {
                        cx.syntax(local, NOT_A_DECLARATION.0, NOT_A_DECLARATION.1);
                        continue;
                    }
                }
            }
            Stmt::Macro(m) => (None, &m.mac),
            Stmt::Expr(Expr::Macro(m), _) => (None, &m.mac),
            other => {
                cx.syntax(other, NOT_A_DECLARATION.0, NOT_A_DECLARATION.1);
                continue;
            }
        };
        let word = mac.path.segments.last().map(|s| s.ident.to_string());
        if binding.is_none() && word.as_deref() == Some("forget") {
            match parse_within(mac.tokens.clone(), Some(mac.delimiter.span().join()), ast::ForgetAst::parse) {
                Ok(f) => forgets.push(f),
                Err(e) => cx.syn(e, &mac.to_token_stream(), "malformed forget!", ast::FORGET_FIX),
            }
            continue;
        }
        if word.as_deref() == Some("component") {
            let Some(binding) = binding else {
                cx.syntax(&mac.path, "a component's instance is bound to a name", COMPONENT_FIX);
                continue;
            };
            if let Some(a) = expects.first() {
                cx.syntax(
                    &a.rule,
                    "an acknowledgement goes on a resource, not on a component's instance",
                    "write it on the resource inside the component",
                );
            }
            match parse_within(mac.tokens.clone(), Some(mac.delimiter.span().join()), component::UseBody::parse) {
                Ok(body) => uses.push((decls.len(), component::Use { binding, path: body.path, fields: body.fields })),
                Err(e) => cx.syn(e, &mac.to_token_stream(), "malformed component!", COMPONENT_FIX),
            }
            continue;
        }
        if word.as_deref() != Some("resource") {
            cx.syntax(&mac.path, NOT_A_DECLARATION.0, NOT_A_DECLARATION.1);
            continue;
        }
        // Within the macro's delimiters, so an error at the body's end points at its `)`.
        match parse_within(mac.tokens.clone(), Some(mac.delimiter.span().join()), |input| input.parse::<Body>()) {
            Ok(body) => decls.push(Decl { binding, kind: body.kind, fields: body.fields, expects, moved }),
            Err(e) => cx.syn(e, &mac.to_token_stream(), "malformed resource", RESOURCE_FIX),
        }
    }
    Declared { decls, forgets, uses }
}

const COMPONENT_FIX: &str = "write `let orders = component!(queue_worker { parameter: value, .. });`";

/// The `#[tap::expect(..)]`s and the `#[tap::moved(from = ..)]` of a declaration. A doc
/// comment is allowed (and kept out of the stack); any other attribute would be dropped
/// unread, so it is an error. (Rust's own `#[expect]` cannot be borrowed: rustc validates
/// lint attributes before any macro runs.)
fn attributes(attrs: &[syn::Attribute], cx: &mut Ctxt) -> (Vec<ast::ExpectAst>, Option<LitStr>) {
    let mut expects = Vec::new();
    let mut moved = None;
    for attr in attrs {
        if attr.path().is_ident("doc") {
            continue;
        }
        let path = attr.path();
        let word = (path.segments.len() == 2).then(|| path.segments[1].ident.to_string());
        let (what, fix) = match word.as_deref() {
            Some("expect") => ("malformed #[tap::expect]", "write `#[tap::expect(\"TAP-..\", reason = \"..\")]`"),
            Some("moved") => ("malformed #[tap::moved]", "write `#[tap::moved(from = \"LockedId\")]`"),
            _ => {
                cx.syntax(
                    attr,
                    "a declaration in a #[stack] takes only `#[tap::expect(..)]` and `#[tap::moved(..)]`",
                    "acknowledge a finding with `#[tap::expect(\"TAP-..\", reason = \"..\")]`; other attributes do nothing here",
                );
                continue;
            }
        };
        let syn::Meta::List(list) = &attr.meta else {
            cx.syntax(&attr.meta, what, fix);
            continue;
        };
        let end = attr.bracket_token.span.join();
        let parsed = if word.as_deref() == Some("moved") {
            parse_within(list.tokens.clone(), Some(end), ast::parse_moved).map(|m| {
                if moved.replace(m).is_some() {
                    cx.syntax(attr, "a resource moves from one locked id", "write one `#[tap::moved(..)]`");
                }
            })
        } else {
            parse_within(list.tokens.clone(), Some(end), ast::ExpectAst::parse_args).map(|e| expects.push(e))
        };
        if let Err(e) = parsed {
            cx.syn(e, &attr.to_token_stream(), what, fix);
        }
    }
    (expects, moved)
}

/// Parses `tokens` with `parse` as if they sat in a group spanning `end`: an error at the
/// end of the input then points at `end` (tokens parsed alone put it at the call site, the
/// `#[stack]` line, or nowhere in the input at all).
fn parse_within<T>(
    tokens: proc_macro2::TokenStream,
    end: Option<proc_macro2::Span>,
    parse: impl FnOnce(syn::parse::ParseStream<'_>) -> syn::Result<T>,
) -> syn::Result<T> {
    let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, tokens);
    if let Some(end) = end {
        group.set_span(end);
    }
    let parser = |input: syn::parse::ParseStream<'_>| {
        let content;
        syn::parenthesized!(content in input);
        parse(&content)
    };
    parser.parse2(proc_macro2::TokenTree::Group(group).into())
}

/// The directory of the file that declares the stack: asset and schema paths are relative
/// to it, as `include_str!` paths are.
fn source_dir() -> std::path::PathBuf {
    let file = proc_macro::Span::call_site().local_file();
    let cwd = std::env::current_dir().unwrap_or_default();
    match file.as_ref().and_then(|f| f.parent()) {
        Some(dir) => cwd.join(dir),
        None => std::env::var_os("CARGO_MANIFEST_DIR").map(Into::into).unwrap_or(cwd),
    }
}
