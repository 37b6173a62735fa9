//! Code generation: the checked stack, rebuilt through tap's plain Rust API, so the macro
//! path and the hand-built path produce the same model and run the same `synth()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;
use tap_core::{Stack, Value};

/// The user's function, now returning the stack.
pub fn wrap(item: &ItemFn, body: TokenStream) -> TokenStream {
    let attrs = &item.attrs;
    let vis = &item.vis;
    let ident = &item.sig.ident;
    quote! {
        #(#attrs)*
        #vis fn #ident() -> ::tap::Stack {
            #body
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
