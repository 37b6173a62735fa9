//! tap's DSL: `#[stack]` over a function whose body declares resources with
//! `resource!(Kind { .. })`. The attribute sees the whole stack at once, so it can check
//! names, removal policies, grants against references, network paths and more at compile
//! time; every finding becomes a compile error on the token to change.
//!
//! Pipeline (after RTIC's `#[app]`): parse ([`ast`]) -> lower into tap-core's model, keeping
//! spans ([`lower`]) -> check with tap-core's rules -> generate ([`codegen`]).

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::{Expr, ItemFn, LitStr, Pat, Stmt};

mod ast;
mod codegen;
mod ctxt;
mod lower;

use ast::{Body, Decl};
use ctxt::Ctxt;

/// Declares a stack. The function's body holds only `let x = resource!(Kind { .. });` and
/// `resource!(Kind { .. });` statements; the function then returns the checked
/// `tap::Stack`. Argument: `name = "StackName"` (defaults to the function's name).
#[proc_macro_attribute]
pub fn stack(args: TokenStream, item: TokenStream) -> TokenStream {
    let started = std::time::Instant::now();
    let mut cx = Ctxt::default();
    let item_fn = match syn::parse::<ItemFn>(item) {
        Ok(f) => f,
        Err(e) => {
            let msg = format!("TAP-DSL-009: #[stack] goes on a function ({e})\nfix: write `#[stack] pub fn my_stack() {{ .. }}`");
            return syn::Error::new(e.span(), msg).to_compile_error().into();
        }
    };
    let name = parse_args(args.into(), &item_fn, &mut cx);
    let decls = collect(&item_fn, &mut cx);
    let (mut stack, spans) = lower::lower(&name, &decls, &mut cx);
    stack.root = Some(source_dir());
    if !cx.has_errors() {
        for f in tap_core::check(&mut stack).0 {
            let (start, end) = spans.of(&f.loc);
            cx.error(start, end, f.id, &f.message, &f.fix);
        }
    }
    // On error, still emit the function (returning an empty stack) so callers type-check
    // and the user sees only the stack's own errors.
    let body = if cx.has_errors() { codegen::fallback(&stack) } else { codegen::stack(&stack) };
    // Bindings are emitted even on error, so code that uses them reports nothing extra.
    let bindings = codegen::bindings(&stack);
    let errors = cx.into_compile_errors();
    let out = codegen::wrap(&item_fn, body, bindings);
    let tokens = quote!(#errors #out).into();
    // Opt-in self-timing for the benchmark (benches/macro_cost.rs); off, it costs nothing.
    if std::env::var_os("TAP_MACRO_TIMING").is_some() {
        eprintln!("tap-macro-timing: stack={name} resources={} micros={}", stack.resources.len(), started.elapsed().as_micros());
    }
    tokens
}

/// Declares one resource inside a `#[stack]` function; the attribute reads it from there.
/// Used anywhere else it is an error, since a resource alone cannot be checked.
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    let span = match syn::parse::<Body>(input) {
        Ok(body) => body.kind.span(),
        Err(e) => return e.to_compile_error().into(),
    };
    syn::Error::new(
        span,
        "TAP-DSL-009: `resource!` declares a resource of a stack\nfix: write it as `let name = resource!(..);` inside a `#[tap::stack]` function",
    )
    .to_compile_error()
    .into()
}

fn parse_args(args: proc_macro2::TokenStream, item: &ItemFn, cx: &mut Ctxt) -> String {
    let mut name = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse::<LitStr>()?.value());
            Ok(())
        } else {
            Err(meta.error("TAP-DSL-009: unknown #[stack] argument\nfix: the only argument is `name = \"StackName\"`"))
        }
    });
    if let Err(e) = parser.parse2(args) {
        cx.push(e);
    }
    name.unwrap_or_else(|| tap_core::ids::pascal(&item.sig.ident.to_string()))
}

const NOT_A_DECLARATION: &str = "TAP-DSL-009: a #[stack] body holds only resource declarations\n\
    fix: write `let name = resource!(Kind { .. });` and compute values outside the stack";

/// The `resource!` statements of the body, with their bindings.
fn collect(item: &ItemFn, cx: &mut Ctxt) -> Vec<Decl> {
    let mut decls = Vec::new();
    for stmt in &item.block.stmts {
        let (binding, mac) = match stmt {
            Stmt::Local(local) => {
                let binding = match &local.pat {
                    Pat::Ident(p) => p.ident.clone(),
                    other => {
                        cx.push(syn::Error::new_spanned(other, "TAP-DSL-009: a resource is bound to a plain name\nfix: write `let archive = resource!(..);`"));
                        continue;
                    }
                };
                match local.init.as_ref().map(|i| &*i.expr) {
                    Some(Expr::Macro(m)) => (Some(binding), &m.mac),
                    _ => {
                        cx.push(syn::Error::new_spanned(local, NOT_A_DECLARATION));
                        continue;
                    }
                }
            }
            Stmt::Macro(m) => (None, &m.mac),
            Stmt::Expr(Expr::Macro(m), _) => (None, &m.mac),
            other => {
                cx.push(syn::Error::new_spanned(other, NOT_A_DECLARATION));
                continue;
            }
        };
        if mac.path.segments.last().map(|s| s.ident.to_string()).as_deref() != Some("resource") {
            cx.push(syn::Error::new_spanned(&mac.path, NOT_A_DECLARATION));
            continue;
        }
        match syn::parse2::<Body>(mac.tokens.clone()) {
            Ok(body) => decls.push(Decl { binding, kind: body.kind, fields: body.fields }),
            Err(e) => cx.push(e),
        }
    }
    decls
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
