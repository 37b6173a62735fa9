//! Components: a pattern of resources declared once and used many times.
//!
//! ```ignore
//! #[tap::component]
//! pub fn queue_worker(name: Name, code: Code, table: Table) {
//!     let jobs = resource!(Queue { name: "{name}-jobs-{suffix}", .. });
//!     let worker = resource!(Function { name: "{name}-worker-{suffix}", code: code, grants: [jobs.consume, table.write], .. });
//! }
//!
//! #[stack]
//! pub fn shop() {
//!     let orders_table = resource!(Table { .. });
//!     let orders = component!(queue_worker { name: "orders", code: Bin("orders-worker"), table: orders_table });
//!     resource!(Output { name: "OrdersJobsUrl", value: orders.jobs.url });
//! }
//! ```
//!
//! **How a stack sees a component declared elsewhere, in this crate or another.** A proc
//! macro sees only its own input, so `#[tap::component]` turns the declaration into a
//! `macro_rules!` macro of the same name (exported, so a library crate's components are
//! used from an app crate by path, versioned in `Cargo.lock` like any dependency). The macro
//! holds the declaration's tokens and hands them to a callback. A `#[stack]` (or
//! `#[tap::app]`) that uses components first expands to a chain of those macros, each
//! adding its declaration, ending in tap's `__with_components!`, which expands the stack
//! with every declaration at hand. The tokens keep their spans through the chain, so a
//! finding still points at the caller's argument or the component's own token. (Rejected:
//! files written by one expansion for another to read, which depend on the order rustc
//! expands items in and go stale.)
//!
//! **Expansion.** Each use is replaced, before lowering, by the component's declarations:
//! a binding `jobs` of instance `orders` becomes `orders_jobs` (its logical id
//! `OrdersJobs`, the same wherever the component is used), a parameter is replaced by the
//! caller's argument with the caller's tokens, and `{name}` in a string by the argument's
//! text. Every rule then judges the instance's resources as if written inline; a finding on
//! them names the instance and the component.

use std::collections::HashMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{FnArg, ItemFn, LitStr, Pat, Token};
use tap_core::{Dsl, Kind};

use crate::ast::{Decl, Field, ValueAst};
use crate::ctxt::{syntax_error, Ctxt};

/// What a parameter takes, from its type word: a closed set, checked at each use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamTy {
    /// A name part (`"orders"`), for `{name}` in the component's names: a string.
    Name,
    /// Any other text.
    Text,
    Int,
    Bool,
    /// Where a function's code comes from: `Bin("..")` or `Dir("..")`.
    Code,
    /// A resource of the caller's, of this kind (or an `Existing` standing for it).
    Resource(Kind),
}

impl ParamTy {
    fn from_word(word: &str) -> Option<ParamTy> {
        Some(match word {
            "Name" => ParamTy::Name,
            "Text" => ParamTy::Text,
            "Int" => ParamTy::Int,
            "Bool" => ParamTy::Bool,
            "Code" => ParamTy::Code,
            other => ParamTy::Resource(Kind::from_word(other)?),
        })
    }
    fn describe(self) -> String {
        match self {
            ParamTy::Name => "a name part, as a string".into(),
            ParamTy::Text => "a string".into(),
            ParamTy::Int => "an integer".into(),
            ParamTy::Bool => "true or false".into(),
            ParamTy::Code => "`Bin(\"..\")` or `Dir(\"..\")`".into(),
            ParamTy::Resource(k) => format!("a {} of the stack (its binding)", k.spec().noun),
        }
    }
}

const PARAM_FIX: &str =
    "type each parameter as `Name`, `Text`, `Int`, `Bool`, `Code` or a kind of resource (`Table`, `Vpc`, ..)";

pub struct Param {
    pub name: Ident,
    pub ty: ParamTy,
}

/// A component's declaration, as `#[tap::component]` read it.
pub struct Definition {
    pub name: Ident,
    pub params: Vec<Param>,
    pub decls: Vec<Decl>,
}

/// Reads a component's signature and body; syntax errors go to `cx`.
pub fn definition(item: &ItemFn, cx: &mut Ctxt) -> Definition {
    let sig = &item.sig;
    if let Some(a) = &sig.asyncness {
        cx.syntax(a, "a component is not `async`", "remove `async`: a component is declared, not run");
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        cx.syntax(ty, "a component declares no return type", "remove it: its resources are what it gives");
    }
    if !sig.generics.params.is_empty() {
        cx.syntax(&sig.generics, "a component is not generic", "type each parameter with one of tap's words");
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(typed) = input else {
            cx.syntax(input, "a component takes no `self`", PARAM_FIX);
            continue;
        };
        let Pat::Ident(name) = &*typed.pat else {
            cx.syntax(&typed.pat, "a component's parameter is a plain name", PARAM_FIX);
            continue;
        };
        let word = match &*typed.ty {
            syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                p.path.segments[0].ident.to_string()
            }
            _ => String::new(),
        };
        match ParamTy::from_word(&word) {
            Some(ty) => params.push(Param { name: name.ident.clone(), ty }),
            None => cx.syntax(
                &typed.ty,
                &format!("`{}` is not a component parameter's type", typed.ty.to_token_stream()),
                PARAM_FIX,
            ),
        }
    }
    let crate::Declared { decls, forgets, uses } = crate::collect(item, cx);
    if let Some(f) = forgets.first() {
        cx.syntax(
            &f.id,
            "`forget!` belongs to a stack, not to a component",
            "write it in the stack that used the component",
        );
    }
    if let Some((_, u)) = uses.first() {
        cx.syntax(&u.path, "a component does not use other components", "declare its resources in it with `resource!`");
    }
    Definition { name: sig.ident.clone(), params, decls }
}

/// `#[tap::component]`: the declaration, checked for syntax, as the `macro_rules!` that hands
/// it to a stack (see the module's documentation).
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    const FIX: &str =
        "write `#[tap::component] pub fn queue_worker(name: Name, code: Code) { let jobs = resource!(..); .. }`";
    let item_fn = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            return crate::ctxt::from_syn(e, &item, "#[tap::component] goes on a function", FIX).to_compile_error()
        }
    };
    let mut cx = Ctxt::default();
    if let Some(first) = args.into_iter().next() {
        cx.push(syntax_error(first.span(), "#[tap::component] takes no arguments", FIX));
    }
    let def = definition(&item_fn, &mut cx);
    if def.decls.is_empty() && !cx.has_errors() {
        cx.push(syntax_error(def.name.span(), "a component declares at least one resource", FIX));
    }
    let errors = cx.into_compile_errors();
    let name = &item_fn.sig.ident;
    let vis = &item_fn.vis;
    // Unique per declaration: `#[macro_export]` puts every such macro at the crate's root.
    let hidden = format_ident!("__tap_component_{}_{:016x}", name, fnv(&item.to_string()));
    let doc = format!("The tap component `{name}`: use it in a stack as `component!({name} {{ .. }})`.");
    let attrs = item_fn.attrs.iter().filter(|a| a.path().is_ident("doc"));
    quote! {
        #errors
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #hidden {
            ($callback:path, [$($done:tt)*], $($rest:tt)*) => {
                $callback! { [$($done)* { #item_fn }], $($rest)* }
            };
        }
        #(#attrs)*
        #[doc = #doc]
        #[allow(unused_imports)]
        #vis use #hidden as #name;
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `let orders = component!(queue_worker { name: "orders", .. })` in a stack.
#[derive(Clone)]
pub struct Use {
    pub binding: Ident,
    pub path: syn::Path,
    pub fields: Vec<Field>,
}

impl Use {
    /// The component's name: the path's last segment, which declarations are found by.
    pub fn key(&self) -> String {
        self.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
    }
}

/// The inside of `component!( .. )`: a path and `{ parameter: value, .. }`.
pub struct UseBody {
    pub path: syn::Path,
    pub fields: Vec<Field>,
}

impl Parse for UseBody {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: syn::Path = input.call(syn::Path::parse_mod_style).map_err(|e| {
            syntax_error(
                e.span(),
                "expected the component's name",
                "write `component!(queue_worker { name: \"orders\", .. })`",
            )
        })?;
        if !input.peek(syn::token::Brace) {
            return Err(syntax_error(
                input.span(),
                "expected `{` after the component's name",
                "write `component!(queue_worker { name: \"orders\", .. })`",
            ));
        }
        let content;
        syn::braced!(content in input);
        let fields = crate::ast::parse_fields(&content)?;
        if !input.is_empty() {
            return Err(input.error(crate::ctxt::raise(
                Dsl::Syntax,
                "unexpected tokens after the component's `}`",
                "use one component per `component!(..)`",
            )));
        }
        Ok(UseBody { path, fields })
    }
}

/// The stack's tokens again, after the chain of component macros gathered every
/// declaration it uses: `[ {decl} .. ], [ paths still to gather ], root = "..", stack(args) fn ..`
/// or `.., app mod ..`.
pub struct Gathered {
    /// Each declaration's tokens, as the component's macro handed them on.
    pub definitions: Vec<TokenStream>,
    pub pending: Vec<syn::Path>,
    pub root: String,
    pub app: bool,
    pub args: TokenStream,
    pub item: TokenStream,
}

impl Parse for Gathered {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let done;
        syn::bracketed!(done in input);
        let mut definitions = Vec::new();
        while !done.is_empty() {
            let one;
            syn::braced!(one in done);
            definitions.push(one.parse::<TokenStream>()?);
        }
        input.parse::<Token![,]>()?;
        let pending;
        syn::bracketed!(pending in input);
        let pending: Punctuated<syn::Path, Token![,]> =
            pending.parse_terminated(syn::Path::parse_mod_style, Token![,])?;
        input.parse::<Token![,]>()?;
        let root: LitStr = input.parse()?;
        input.parse::<Token![,]>()?;
        let mode: Ident = input.parse()?;
        let args;
        syn::parenthesized!(args in input);
        let args: TokenStream = args.parse()?;
        let item: TokenStream = input.parse()?;
        Ok(Gathered {
            definitions,
            pending: pending.into_iter().collect(),
            root: root.value(),
            app: mode == "app",
            args,
            item,
        })
    }
}

/// The chain that gathers `paths`' declarations and then expands the stack (or app) again:
/// `first! { ::tap::__with_components, [], [rest..], "root", stack(args) item }`.
pub fn gather(
    done: &[TokenStream],
    paths: &[syn::Path],
    root: &std::path::Path,
    app: bool,
    args: &TokenStream,
    item: &TokenStream,
) -> TokenStream {
    let (first, rest) = paths.split_first().expect("a chain gathers at least one component");
    let root = root.display().to_string();
    let mode = if app { format_ident!("app") } else { format_ident!("stack") };
    quote! {
        #first! { ::tap::__with_components, [#({ #done })*], [#(#rest),*], #root, #mode(#args) #item }
    }
}

/// `paths` once each, in the order given (the components a stack's or an app's uses name).
pub fn distinct_paths(paths: Vec<syn::Path>) -> Vec<syn::Path> {
    let mut out: Vec<syn::Path> = Vec::new();
    for p in paths {
        if !out.iter().any(|o| o.to_token_stream().to_string() == p.to_token_stream().to_string()) {
            out.push(p);
        }
    }
    out
}

/// A use replaced by its component's declarations (see the module's documentation), or
/// nothing when the use is wrong (said in `cx`, at the caller's token).
pub fn instantiate(def: &Definition, u: &Use, kinds: &HashMap<String, String>, cx: &mut Ctxt) -> Vec<Decl> {
    let component = &def.name;
    let instance = &u.binding;
    let mut args: HashMap<String, &ValueAst> = HashMap::new();
    let mut ok = true;
    for f in &u.fields {
        let key = f.key.to_string();
        let Some(param) = def.params.iter().find(|p| p.name == key) else {
            let names: Vec<String> = def.params.iter().map(|p| format!("`{}`", p.name)).collect();
            cx.push(syn::Error::new(
                f.key.span(),
                crate::ctxt::raise(
                    Dsl::UnknownProperty,
                    &format!("component `{component}` has no parameter `{key}`"),
                    &format!("its parameters are {}", names.join(", ")),
                ),
            ));
            ok = false;
            continue;
        };
        if args.insert(key.clone(), &f.value).is_some() {
            cx.push(syn::Error::new(
                f.key.span(),
                crate::ctxt::raise(Dsl::Duplicate, &format!("`{key}` is given twice"), "give each parameter once"),
            ));
            ok = false;
        }
        if let Some(why) = mismatch(param.ty, &f.value, kinds) {
            let (start, end) = f.value.span();
            let a = Ident::new("a", start);
            let b = Ident::new("b", end);
            cx.push(syn::Error::new_spanned(
                quote!(#a #b),
                crate::ctxt::raise(
                    Dsl::WrongType,
                    &format!("`{key}` of component `{component}` takes {}, found {why}", param.ty.describe()),
                    &format!("give `{key}` {}", param.ty.describe()),
                ),
            ));
            ok = false;
        }
    }
    let at = u.path.segments.last().map_or_else(Span::call_site, |s| s.ident.span());
    for p in &def.params {
        if !args.contains_key(&p.name.to_string()) {
            cx.push(syn::Error::new(
                at,
                crate::ctxt::raise(
                    Dsl::Missing,
                    &format!("`{instance}` does not give component `{component}` its `{}`", p.name),
                    &format!("add `{}: ..` ({})", p.name, p.ty.describe()),
                ),
            ));
            ok = false;
        }
    }
    if !ok {
        return Vec::new();
    }
    let locals: Vec<String> = def.decls.iter().filter_map(|d| d.binding.as_ref().map(|b| b.to_string())).collect();
    let sub = Substitution { instance, args: &args, locals: &locals };
    def.decls
        .iter()
        .map(|d| Decl {
            binding: d.binding.as_ref().map(|b| sub.renamed(b)),
            kind: d.kind.clone(),
            fields: d.fields.iter().map(|f| Field { key: f.key.clone(), value: sub.value(&f.value) }).collect(),
            expects: d.expects.clone(),
            moved: None,
        })
        .collect()
}

/// Why `v` is not what a parameter of type `ty` takes, in an error's words; `None` when it is.
fn mismatch(ty: ParamTy, v: &ValueAst, kinds: &HashMap<String, String>) -> Option<String> {
    let found = || match v {
        ValueAst::Str(_) => "a string".to_owned(),
        ValueAst::Int(..) => "an integer".to_owned(),
        ValueAst::Bool(_) => "a boolean".to_owned(),
        ValueAst::Word(w) => match kinds.get(&w.to_string()) {
            Some(kind) => format!("`{w}`, a {kind}"),
            None => format!("`{w}`"),
        },
        ValueAst::Call(name, _) => format!("`{name}(..)`"),
        _ => "another value".to_owned(),
    };
    let fits = match (ty, v) {
        (ParamTy::Name | ParamTy::Text, ValueAst::Str(_)) => true,
        (ParamTy::Int, ValueAst::Int(..)) => true,
        (ParamTy::Bool, ValueAst::Bool(_)) => true,
        (ParamTy::Code, ValueAst::Call(name, _)) => ["Bin", "Dir", "Inline"].contains(&name.to_string().as_str()),
        (ParamTy::Resource(kind), ValueAst::Word(w) | ValueAst::Remote(_, w, None)) => match v {
            // Another stack's resource is typed by the link, after this.
            ValueAst::Remote(..) => true,
            _ => kinds.get(&w.to_string()).is_some_and(|k| k == kind.word()),
        },
        _ => false,
    };
    (!fits).then(found)
}

struct Substitution<'a> {
    instance: &'a Ident,
    args: &'a HashMap<String, &'a ValueAst>,
    locals: &'a [String],
}

impl Substitution<'_> {
    /// `jobs` of instance `orders`: `orders_jobs`, on the component's token.
    fn renamed(&self, b: &Ident) -> Ident {
        joined(self.instance, b, b.span())
    }
    fn value(&self, v: &ValueAst) -> ValueAst {
        match v {
            ValueAst::Word(w) => match self.args.get(&w.to_string()) {
                Some(arg) => (*arg).clone(),
                None if self.locals.contains(&w.to_string()) => ValueAst::Word(self.renamed(w)),
                None => v.clone(),
            },
            ValueAst::Attr(t, m) => match self.args.get(&t.to_string()) {
                Some(ValueAst::Word(arg)) => ValueAst::Attr(arg.clone(), m.clone()),
                Some(ValueAst::Remote(stack, binding, None)) => {
                    ValueAst::Remote(stack.clone(), binding.clone(), Some(m.clone()))
                }
                _ if self.locals.contains(&t.to_string()) => ValueAst::Attr(self.renamed(t), m.clone()),
                _ => v.clone(),
            },
            ValueAst::Str(s) => self.text(s),
            ValueAst::List(span, items) => ValueAst::List(*span, items.iter().map(|x| self.value(x)).collect()),
            ValueAst::Map(span, fields) => ValueAst::Map(
                *span,
                fields.iter().map(|f| Field { key: f.key.clone(), value: self.value(&f.value) }).collect(),
            ),
            ValueAst::Call(name, args) => ValueAst::Call(name.clone(), args.iter().map(|x| self.value(x)).collect()),
            other => other.clone(),
        }
    }
    /// `{name}` replaced by the argument's text, `{jobs}` by the renamed binding; the string
    /// then points at the caller's argument, which made it.
    fn text(&self, s: &LitStr) -> ValueAst {
        let mut text = s.value();
        let mut span = None;
        for (key, arg) in self.args {
            let pattern = format!("{{{key}}}");
            if !text.contains(&pattern) {
                continue;
            }
            let value = match arg {
                ValueAst::Str(l) => l.value(),
                ValueAst::Int(n, _) => n.to_string(),
                _ => continue,
            };
            text = text.replace(&pattern, &value);
            span.get_or_insert(arg.span().0);
        }
        for local in self.locals {
            let renamed = format!("{}_{}", syn::ext::IdentExt::unraw(self.instance), local.trim_start_matches("r#"));
            text = text.replace(&format!("{{{local}}}"), &format!("{{{renamed}}}"));
        }
        ValueAst::Str(LitStr::new(&text, span.unwrap_or_else(|| s.span())))
    }
}

/// `a_b`, the binding of resource `b` of instance `a` (raw identifiers unraw: `r#type` and
/// `jobs` make `type_jobs`, which is never a keyword).
pub fn joined(a: &Ident, b: &Ident, span: Span) -> Ident {
    use syn::ext::IdentExt;
    Ident::new(&format!("{}_{}", a.unraw(), b.unraw()), span)
}

/// `tokens` with each span resolved at `here` (its line and column kept).
pub fn respan(tokens: TokenStream, here: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), here));
                group.set_span(g.span().resolved_at(here));
                t = proc_macro2::TokenTree::Group(group);
            } else {
                t.set_span(t.span().resolved_at(here));
            }
            t
        })
        .collect()
}

/// The instance and component a resource of the expanded stack came from, by index.
#[derive(Default)]
pub struct Origins(pub Vec<Option<(String, String)>>);

impl Origins {
    /// `message`, naming the instance when the resource is one's.
    pub fn name(&self, resource: Option<usize>, message: &str) -> String {
        match resource.and_then(|i| self.0.get(i)).and_then(Option::as_ref) {
            Some((instance, component)) => {
                format!("{message} (in `{instance}`, an instance of component `{component}`)")
            }
            None => message.to_owned(),
        }
    }
}

/// The stack's declarations with every use replaced by its instance, and where each came
/// from. A use whose component was not gathered is an error at its path.
pub fn expand_uses(
    decls: Vec<Decl>,
    uses: Vec<(usize, Use)>,
    definitions: &HashMap<String, Definition>,
    cx: &mut Ctxt,
) -> (Vec<Decl>, Origins) {
    // Each binding's kind, for typed parameters; an existing resource is typed as the kind
    // it stands for.
    let (bag, _) = crate::lower::lower("", &decls);
    let kinds: HashMap<String, String> = bag
        .resources
        .iter()
        .filter_map(|r| {
            let kind = Kind::from_word(&r.kind)?;
            let kind = if kind == Kind::Existing { tap_core::kinds::existing::stands_for(r)? } else { kind };
            Some((r.binding.clone()?, kind.word().to_owned()))
        })
        .collect();
    let mut out = Vec::new();
    let mut origins = Origins::default();
    let mut named = Named::default();
    let mut uses = uses.into_iter().peekable();
    for (i, d) in decls.into_iter().enumerate() {
        while let Some((_, u)) = uses.next_if(|(at, _)| *at == i) {
            if named.fresh(&u, definitions, cx) {
                instance(&u, definitions, &kinds, cx, &mut out, &mut origins);
            }
        }
        out.push(d);
        origins.0.push(None);
    }
    for (_, u) in uses {
        if named.fresh(&u, definitions, cx) {
            instance(&u, definitions, &kinds, cx, &mut out, &mut origins);
        }
    }
    (out, origins)
}

/// The `Name` arguments given so far, per component: two instances given one name would
/// name every resource alike.
#[derive(Default)]
struct Named(Vec<(String, String, String)>);

impl Named {
    /// Whether `u`'s names are new; when not, an error at its argument, said once for the
    /// instance (rather than once per resource named alike).
    fn fresh(&mut self, u: &Use, definitions: &HashMap<String, Definition>, cx: &mut Ctxt) -> bool {
        let Some(def) = definitions.get(&u.key()) else { return true };
        for p in def.params.iter().filter(|p| p.ty == ParamTy::Name) {
            let Some(ValueAst::Str(given)) = u.fields.iter().find(|f| p.name == f.key.name).map(|f| &f.value) else {
                continue;
            };
            let key = (u.key(), p.name.to_string(), given.value());
            if self.0.contains(&key) {
                cx.push(syn::Error::new(
                    given.span(),
                    crate::ctxt::raise(Dsl::Duplicate,
                        &format!("`{}` gives component `{}` the `{}` \"{}\" an earlier instance has: every resource it names would be named twice", u.binding, u.key(), p.name, given.value()),
                        &format!("give `{}` a `{}` of its own", u.binding, p.name),
                    ),
                ));
                return false;
            }
            self.0.push(key);
        }
        true
    }
}

fn instance(
    u: &Use,
    definitions: &HashMap<String, Definition>,
    kinds: &HashMap<String, String>,
    cx: &mut Ctxt,
    out: &mut Vec<Decl>,
    origins: &mut Origins,
) {
    let Some(def) = definitions.get(&u.key()) else {
        cx.push(syn::Error::new_spanned(
            &u.path,
            crate::ctxt::raise(
                Dsl::UnknownKind,
                &format!("no component `{}` was declared", u.key()),
                "declare it with `#[tap::component]`, and name it by its path",
            ),
        ));
        return;
    };
    for d in instantiate(def, u, kinds, cx) {
        out.push(d);
        origins.0.push(Some((u.binding.to_string(), def.name.to_string())));
    }
}
