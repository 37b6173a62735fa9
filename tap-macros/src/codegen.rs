//! Code generation: the checked stack, rebuilt through tap's plain Rust API, so the macro
//! path and the hand-built path produce the same model and run the same `synth()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;
use tap_core::generate::FunctionBindings;
use tap_core::kinds::schema::AttrTy;
use tap_core::{Stack, Value};

/// The user's function, now returning the stack, and the typed bindings module beside it.
pub fn wrap(item: &ItemFn, body: TokenStream, bindings: TokenStream) -> TokenStream {
    let attrs = &item.attrs;
    let vis = &item.vis;
    let ident = &item.sig.ident;
    let doc = format!("Typed bindings of the stack declared by [`{ident}()`]: one module per function.");
    quote! {
        #(#attrs)*
        #vis fn #ident() -> ::tap::Stack {
            #body
        }

        #[doc = #doc]
        #[allow(dead_code)]
        #vis mod #ident {
            #bindings
        }
    }
}

/// For each function: `Env`, its configuration as the stack binds it (one field per
/// environment variable, read at cold start), and the schema of each database it uses.
/// Removing a reference from the stack removes the field, so code that reads it no longer
/// compiles. What to generate is tap-core's (`tap_core::generate`); this renders it.
pub fn bindings(functions: Vec<FunctionBindings>) -> TokenStream {
    let modules = functions.into_iter().filter_map(|f| {
        let module = syn::parse_str::<proc_macro2::Ident>(&f.module).ok()?;
        let mut fields = Vec::new();
        let mut reads = Vec::new();
        for v in &f.vars {
            let Ok(field) = syn::parse_str::<proc_macro2::Ident>(&v.var.to_lowercase()) else { continue };
            let ty = match v.ty {
                AttrTy::Port => quote!(::tap::bindings::Bound<u16>),
                AttrTy::Text => quote!(::tap::bindings::Bound<::std::string::String>),
            };
            let (var, source) = (&v.var, &v.source);
            let doc = format!("`{var}`, bound to `{source}`.");
            fields.push(quote!(#[doc = #doc] pub #field: #ty));
            reads.push(quote!(#field: ::tap::bindings::bound(lookup, #var, #source)?));
        }
        let schema_items = f.schemas.iter().map(|(name, path)| {
            let name = format_ident!("{}", name);
            let path = path.display().to_string();
            let doc =
                format!("The declared schema of the database `{}` uses (idempotent; apply on cold start).", f.module);
            quote!(#[doc = #doc] pub const #name: &str = include_str!(#path);)
        });
        let handles = handles(&f);
        let doc = format!("Function `{}`.", f.module);
        Some(quote! {
            #[doc = #doc]
            pub mod #module {
                /// The function's configuration, as the stack binds it.
                #[derive(Clone, Debug, PartialEq)]
                pub struct Env { #(#fields,)* }

                impl Env {
                    /// Reads every bound variable from the process environment.
                    pub fn from_env() -> ::core::result::Result<Self, ::tap::bindings::BindingError> {
                        Self::from_lookup(&|name| ::std::env::var(name).ok())
                    }
                    /// Reads every bound variable through `lookup` (tests, local runs).
                    pub fn from_lookup(
                        lookup: &dyn Fn(&str) -> ::core::option::Option<::std::string::String>,
                    ) -> ::core::result::Result<Self, ::tap::bindings::BindingError> {
                        let _ = &lookup;
                        ::core::result::Result::Ok(Env { #(#reads,)* })
                    }
                }
                #(#schema_items)*
                #handles
            }
        })
    });
    quote!(#(#modules)*)
}

/// `Handles`: one field per granted resource, typed by the grant. Wrapped in
/// `tap::__aws_handles!`, which expands to nothing unless the app enabled tap's `aws`
/// feature (the macro cannot see the app's features; the facade can).
fn handles(f: &FunctionBindings) -> TokenStream {
    if f.handles.is_empty() {
        return TokenStream::new();
    }
    let mut fields = Vec::new();
    let mut binds = Vec::new();
    let mut requirements: Vec<TokenStream> = Vec::new();
    for h in &f.handles {
        let (Ok(field), Ok(var_field)) = (
            syn::parse_str::<proc_macro2::Ident>(&h.field),
            syn::parse_str::<proc_macro2::Ident>(&h.var.to_lowercase()),
        ) else {
            continue;
        };
        let ty = format_ident!("{}", h.ty);
        let access = format_ident!("{}", h.access);
        let doc = format!("`{}`, granted `{}.{}`, identified by `{}`.", h.field, h.field, h.access_level(), h.var);
        fields.push(quote!(#[doc = #doc] pub #field: ::tap::aws::#ty<::tap::aws::access::#access>));
        let requires = format_ident!("__aws_requires_{}", h.ty.to_lowercase());
        if !requirements.iter().any(|r: &TokenStream| r.to_string().contains(&requires.to_string())) {
            requirements.push(quote!(::tap::#requires!();));
        }
        binds.push(quote!(#field: ::tap::aws::#ty::__bind(sdk, &env.#var_field)));
    }
    quote! {
        ::tap::__aws_handles! {
            #(#requirements)*

            /// The resources the function was granted, each as a handle typed by its grant:
            /// an operation the grant does not cover does not compile (TAP-IAM-003).
            #[derive(Debug)]
            pub struct Handles { #(#fields,)* }

            impl Handles {
                /// The handles, from the bound variables and an SDK configuration.
                pub fn new(env: &Env, sdk: &::tap::aws::SdkConfig) -> Self {
                    Handles { #(#binds,)* }
                }
            }
        }
    }
}

pub fn fallback(stack: &Stack) -> TokenStream {
    let name = &stack.name;
    quote!(::tap::Stack::new(#name))
}

pub fn stack(stack: &Stack) -> TokenStream {
    let name = &stack.name;
    let root = stack.root.as_ref().map(|r| r.display().to_string()).unwrap_or_default();
    let pushes = stack.resources.iter().map(|r| {
        let kind = &r.kind;
        let binding = match &r.binding {
            Some(b) => quote!(::core::option::Option::Some(#b)),
            None => quote!(::core::option::Option::None),
        };
        let props = r.props.iter().map(|(k, v)| {
            let v = value(v);
            quote!(.with(#k, #v))
        });
        let expects = r.expects.iter().map(|e| {
            let (rule, reason) = (&e.rule, &e.reason);
            match &e.at {
                Some(at) => quote!(.expect_at(#rule, #at, #reason)),
                None => quote!(.expect(#rule, #reason)),
            }
        });
        let moved = r.moved_from.as_ref().map(|from| quote!(.moved_from(#from)));
        quote!(stack.push(::tap::Resource::new(#kind, #binding) #(#props)* #(#expects)* #moved);)
    });
    let forgets = stack.forgotten.iter().map(|f| {
        let (id, reason) = (&f.logical_id, &f.reason);
        quote!(stack.forget(#id, #reason);)
    });
    let lifecycles = &stack.lifecycles;
    let suffixes = &stack.durable_suffixes;
    let depends_on = &stack.depends_on;
    quote! {
        let mut stack = ::tap::Stack::new(#name)
            .with_root(#root)
            .with_lifecycles(::std::vec::Vec::<&str>::from([#(#lifecycles),*]))
            .with_durable_suffixes(&[#(#suffixes),*])
            .with_depends_on(&[#(#depends_on),*]);
        #(#pushes)*
        #(#forgets)*
        stack
    }
}

fn value(v: &Value) -> TokenStream {
    match v {
        Value::Str(s) => quote!(::tap::Value::str(#s)),
        Value::Int(n) => quote!(::tap::Value::Int(#n)),
        Value::Bool(b) => quote!(::tap::Value::Bool(#b)),
        Value::Word(w) => quote!(::tap::Value::word(#w)),
        Value::Dot { target, member } => quote!(::tap::Value::attr(#target, #member)),
        Value::List(items) => {
            let items = items.iter().map(value);
            quote!(::tap::Value::List(::std::vec![#(#items),*]))
        }
        Value::Map(m) => {
            let entries = m.iter().map(|(k, v)| {
                let v = value(v);
                quote!((#k, #v))
            });
            quote!(::tap::Value::map(::std::vec![#(#entries),*]))
        }
        Value::Call { name, args } => {
            let args = args.iter().map(value);
            quote!(::tap::Value::call(#name, ::std::vec![#(#args),*]))
        }
    }
}

#[cfg(test)]
mod tests {
    /// A function granted a table gets a `Table` handle, and the expansion asks for the
    /// table's service feature (a crate with another service's handles only is told which
    /// feature to add, instead of a missing type).
    #[test]
    fn a_handle_asks_for_its_services_feature() {
        let item: syn::ItemFn = syn::parse_quote! {
            pub fn reports() {
                let events = resource!(Table { name: "events-{suffix}", partition_key: "id", encryption: Kms, removal: Destroy });
                let reader = resource!(Function {
                    name: "reader-{suffix}",
                    code: Dir("fixtures"),
                    runtime: ProvidedAl2023,
                    env: { EVENTS_TABLE: events.name },
                    grants: [events.read],
                });
            }
        };
        let out =
            crate::expand_stack(quote::quote!(name = "Reports"), quote::ToTokens::to_token_stream(&item), ".".into())
                .to_string();
        assert!(out.contains("__aws_requires_table"), "{out}");
        assert!(out.contains("Table < :: tap :: aws :: access :: Read >"), "{out}");
        assert_eq!(out.matches("__aws_requires_table").count(), 1, "asked once per type");
    }
}
