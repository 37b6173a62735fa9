//! Reading a stack function: its signature, its `#[stack(..)]` arguments, and the
//! declarations of its body (`resource!`, `component!`, `forget!`, and the attributes on
//! them). Only syntax is judged here; what the declarations mean is tap-core's.

use quote::ToTokens;
use syn::parse::{Parse, Parser};
use syn::{Expr, Ident, ItemFn, LitStr, Pat, Stmt};

use crate::ast::{self, Body, Decl};
use crate::component;
use crate::ctxt::Ctxt;

/// A stack function takes nothing and returns nothing: the macro gives it its return type,
/// and it runs in build scripts and tests where no arguments exist. Anything else would be
/// silently dropped, so it is an error on the token.
pub fn check_signature(item: &ItemFn, cx: &mut Ctxt) {
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

/// `#[stack(name = "..", lifecycles = [Ephemeral, Durable], durable_suffixes = ["prod"])]`.
/// Only the syntax is judged here; the words and suffixes are tap-core's to check.
pub struct Args {
    pub name: String,
    /// Each word with its token.
    pub lifecycles: Vec<Ident>,
    pub durable_suffixes: Vec<LitStr>,
}

pub const ARGS_FIX: &str =
    "the arguments are `name = \"StackName\"`, `lifecycles = [Ephemeral, Durable]` and `durable_suffixes = [\"prod\"]`";

pub fn parse_args(args: proc_macro2::TokenStream, item: &ItemFn, cx: &mut Ctxt) -> Args {
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

pub const RESOURCE_FIX: &str = "write `resource!(Kind { property: value, .. })`";

pub const NOT_A_DECLARATION: (&str, &str) = (
    "a #[stack] body holds only resource declarations",
    "write `let name = resource!(Kind { .. });` (or `component!(..)`) and compute values outside the stack",
);

/// What a stack's (or a component's) body declares.
pub struct Declared {
    pub decls: Vec<Decl>,
    pub forgets: Vec<ast::ForgetAst>,
    /// Each `component!` use, with the number of declarations written before it.
    pub uses: Vec<(usize, component::Use)>,
}

/// The `resource!` statements of the body, with their bindings, its `forget!`s and its
/// `component!` uses.
pub fn collect(item: &ItemFn, cx: &mut Ctxt) -> Declared {
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

pub const COMPONENT_FIX: &str = "write `let orders = component!(queue_worker { parameter: value, .. });`";

/// The `#[tap::expect(..)]`s and the `#[tap::moved(from = ..)]` of a declaration. A doc
/// comment is allowed (and kept out of the stack); any other attribute would be dropped
/// unread, so it is an error. (Rust's own `#[expect]` cannot be borrowed: rustc validates
/// lint attributes before any macro runs.)
pub fn attributes(attrs: &[syn::Attribute], cx: &mut Ctxt) -> (Vec<ast::ExpectAst>, Option<LitStr>) {
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
pub fn parse_within<T>(
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
pub fn source_dir() -> std::path::PathBuf {
    let file = proc_macro::Span::call_site().local_file();
    let cwd = std::env::current_dir().unwrap_or_default();
    match file.as_ref().and_then(|f| f.parent()) {
        Some(dir) => cwd.join(dir),
        None => std::env::var_os("CARGO_MANIFEST_DIR").map(Into::into).unwrap_or(cwd),
    }
}

pub const APP_FIX: &str =
    "write `#[tap::app] pub mod my_app { #[stack] pub fn data() { .. } #[stack] pub fn service() { .. } }`";

/// A `#[tap::app]` module, its stacks split from its other items.
pub struct AppModule {
    /// The module, its contents taken.
    pub module: syn::ItemMod,
    /// The items it keeps as they are.
    pub kept: Vec<syn::Item>,
    /// Each `#[stack]` function with its attribute's arguments.
    pub stacks: Vec<(proc_macro2::TokenStream, ItemFn)>,
    /// The errors of the `#[tap::app]` attribute itself.
    pub errors: proc_macro2::TokenStream,
}

/// Splits a `#[tap::app]` module into its stacks and the rest; or the error that it is not
/// an inline module.
pub fn app_module(args: &proc_macro2::TokenStream, item: &proc_macro2::TokenStream) -> syn::Result<AppModule> {
    const FIX: &str = APP_FIX;
    let mut module = match syn::parse2::<syn::ItemMod>(item.clone()) {
        Ok(m) => m,
        Err(e) => return Err(crate::ctxt::from_syn(e, item, "#[tap::app] goes on a module", FIX)),
    };
    let mut errors = proc_macro2::TokenStream::new();
    if let Some(first) = args.clone().into_iter().next() {
        errors
            .extend(crate::ctxt::syntax_error(first.span(), "#[tap::app] takes no arguments", FIX).to_compile_error());
    }
    let Some((_, items)) = module.content.take() else {
        return Err(crate::ctxt::syntax_error(module.ident.span(), "#[tap::app] goes on a module written inline", FIX));
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
        members.push((args, f));
    }
    Ok(AppModule { module, kept, stacks: members, errors })
}
