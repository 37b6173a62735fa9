//! tap's DSL: `#[stack]` over a function whose body declares resources with
//! `resource!(Kind { .. })`. The attribute sees the whole stack at once, so it can check
//! names, removal policies, grants against references, network paths and more at compile
//! time; every finding becomes a compile error on the token to change.
//!
//! Pipeline (after RTIC's `#[app]`): parse ([`ast`]) -> lower into tap-core's model, keeping
//! spans ([`lower`]) -> tap-core validates and checks (the same code `synth()` runs) ->
//! generate ([`codegen`]). The macro itself judges only syntax.

use proc_macro::TokenStream;
use quote::quote;
use syn::{Ident, ItemFn};

mod ast;
mod codegen;
mod component;
mod ctxt;
mod lock;
mod lower;
mod parse;
mod sarif;
#[cfg(test)]
mod fuzz;

use ast::Body;
use ctxt::{misplaced, outside, Ctxt};
use parse::{check_signature, collect, parse_args, source_dir, Declared, COMPONENT_FIX, RESOURCE_FIX};

/// Declares a stack. The function's body holds only `let x = resource!(Kind { .. });` and
/// `resource!(Kind { .. });` statements; the function then returns the checked
/// `tap::Stack`. Argument: `name = "StackName"` (defaults to the function's name).
#[proc_macro_attribute]
pub fn stack(args: TokenStream, item: TokenStream) -> TokenStream {
    ctxt::begin();
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
    ctxt::begin();
    expand_app(args.into(), item.into(), source_dir()).into()
}

/// Declares a component: a pattern of resources used in stacks as
/// `let orders = component!(queue_worker { name: "orders", .. });`, its parameters typed
/// (`Name`, `Text`, `Int`, `Bool`, `Code`, or a kind of resource). It becomes a macro of the
/// same name, used by path from this crate or another (see the guide).
#[proc_macro_attribute]
pub fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    ctxt::begin();
    component::expand(args.into(), item.into()).into()
}

/// The end of the chain that gathers a stack's components: the stack (or app) expanded with
/// every declaration it uses. Generated code only.
#[doc(hidden)]
#[proc_macro]
pub fn __with_components(input: TokenStream) -> TokenStream {
    ctxt::begin();
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
    let parse::AppModule { module, kept, stacks, errors } = match parse::app_module(&args, &item) {
        Ok(parsed) => parsed,
        Err(e) => return e.to_compile_error(),
    };
    let members: Vec<Member> = stacks.into_iter().map(|(args, f)| prepare(args, f, root.clone(), components)).collect();
    let pending: Vec<syn::Path> =
        members.iter().filter_map(|m| m.components.as_ref().err()).flatten().cloned().collect();
    if !pending.is_empty() {
        let paths = component::distinct_paths(pending);
        return component::gather(&[], &paths, &root, true, &args, &item);
    }
    if members.is_empty() {
        return ctxt::syntax_error(
            module.ident.span(),
            "#[tap::app] declares at least one `#[stack]` function",
            parse::APP_FIX,
        )
        .to_compile_error();
    }
    let mut members = members;
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
            let (verdict, path) = lock::lock(checked, &root, findings.is_empty());
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

/// Declares one resource inside a `#[stack]` function; the attribute reads it from there.
/// Used anywhere else it is an error, since a resource alone cannot be checked.
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    ctxt::begin();
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
    outside(item.into(), "`#[tap::expect]` acknowledges a finding of a resource in a stack").into()
}

/// Keeps a renamed resource's locked logical id, inside a `#[stack]`:
/// `#[tap::moved(from = "Database")]`. Used anywhere else it is an error.
#[proc_macro_attribute]
pub fn moved(_args: TokenStream, item: TokenStream) -> TokenStream {
    outside(item.into(), "`#[tap::moved]` keeps a renamed resource's locked logical id in a stack").into()
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
