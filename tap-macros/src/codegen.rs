//! Code generation: the checked stack, rebuilt through tap's plain Rust API, so the macro
//! path and the hand-built path produce the same model and run the same `synth()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;
use tap_core::{Kind, Stack, Value};

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
/// compiles.
pub fn bindings(stack: &Stack) -> TokenStream {
    let modules = stack.of_kind(Kind::Function).filter_map(|(_, f)| {
        let binding = f.binding.as_deref()?;
        let module = syn::parse_str::<proc_macro2::Ident>(binding).ok()?;
        let mut fields = Vec::new();
        let mut reads = Vec::new();
        let mut schemas = Vec::new();
        if let Some(Value::Map(env)) = f.get("env") {
            for (var, value) in env {
                let Ok(field) = syn::parse_str::<proc_macro2::Ident>(&var.to_lowercase()) else { continue };
                let (source, ty) = match value {
                    Value::Ref { target, attr: Some(attr) } => {
                        let ty = if attr == "port" { quote!(::tap::bindings::Bound<u16>) } else { quote!(::tap::bindings::Bound<::std::string::String>) };
                        (format!("{target}.{attr}"), ty)
                    }
                    _ => (format!("the literal {value:?}"), quote!(::tap::bindings::Bound<::std::string::String>)),
                };
                let doc = format!("`{var}`, bound to `{source}`.");
                fields.push(quote!(#[doc = #doc] pub #field: #ty));
                reads.push(quote!(#field: ::tap::bindings::bound(lookup, #var, #source)?));
                if let Value::Ref { target, .. } = value {
                    let db = stack.resolve(target).filter(|r| r.kind == Kind::Database);
                    if let (Some(db), Some(root)) = (db.and_then(|d| d.str("schema")), stack.root.as_ref()) {
                        let name = format_ident!("{}_SCHEMA", target.to_uppercase());
                        let path = root.join(db);
                        // A missing file is TAP-DATA-002's to report, not include_str!'s.
                        if path.is_file() && !schemas.iter().any(|(n, _): &(proc_macro2::Ident, String)| *n == name) {
                            schemas.push((name, path.display().to_string()));
                        }
                    }
                }
            }
        }
        let schema_items = schemas.iter().map(|(name, path)| {
            let doc = format!("The declared schema of the database `{}` uses (idempotent; apply on cold start).", binding);
            quote!(#[doc = #doc] pub const #name: &str = include_str!(#path);)
        });
        let doc = format!("Function `{binding}`.");
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
            }
        })
    });
    quote!(#(#modules)*)
}

pub fn fallback(stack: &Stack) -> TokenStream {
    let name = &stack.name;
    quote!(::tap::Stack::new(#name))
}

pub fn stack(stack: &Stack) -> TokenStream {
    let name = &stack.name;
    let root = stack.root.as_ref().map(|r| r.display().to_string()).unwrap_or_default();
    let pushes = stack.resources.iter().map(|r| {
        let kind = format_ident!("{}", format!("{:?}", r.kind));
        let binding = match &r.binding {
            Some(b) => quote!(::core::option::Option::Some(#b)),
            None => quote!(::core::option::Option::None),
        };
        let props = r.props.iter().map(|(k, v)| {
            let v = value(v);
            quote!(.with(#k, #v))
        });
        quote!(stack.push(::tap::Resource::new(::tap::Kind::#kind, #binding) #(#props)*);)
    });
    quote! {
        let mut stack = ::tap::Stack::new(#name).with_root(#root);
        #(#pushes)*
        stack
    }
}

fn value(v: &Value) -> TokenStream {
    match v {
        Value::Str(s) => quote!(::tap::Value::str(#s)),
        Value::Int(n) => quote!(::tap::Value::Int(#n)),
        Value::Bool(b) => quote!(::tap::Value::Bool(#b)),
        Value::Word(w) => quote!(::tap::Value::word(#w)),
        Value::Ref { target, attr: None } => quote!(::tap::Value::reference(#target)),
        Value::Ref { target, attr: Some(a) } => quote!(::tap::Value::attr(#target, #a)),
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
