//! Collects every error of one expansion and combines them, so the user sees all findings
//! of a stack in one build (serde_derive's `Ctxt`). Every message is a [`Finding`], rendered
//! by tap-core's one formatter (`Finding`'s `Display`) only when it becomes a compile error;
//! the SARIF log is written from the findings themselves.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use tap_core::{Dsl, Finding, Loc};

thread_local! {
    /// The findings raised inside syn's parsers, by the text of the `syn::Error` they became
    /// (a parser can return nothing else): [`Ctxt::push`] finds each error's finding here.
    static RAISED: RefCell<HashMap<String, Finding>> = RefCell::new(HashMap::new());
}

/// Starts an expansion: the findings raised for an earlier one are dropped (a proc-macro
/// server, an IDE's, expands many times in one thread).
pub fn begin() {
    RAISED.with(|r| r.borrow_mut().clear());
}

/// A malformed-input finding raised before there is a model to point into, as the text of
/// the `syn::Error` that carries it (its span is the error's).
pub fn raise(kind: Dsl, message: &str, fix: &str) -> String {
    let finding = Finding::dsl(kind, Loc::stack(), message, fix);
    let text = finding.to_string();
    RAISED.with(|r| r.borrow_mut().insert(text.clone(), finding));
    text
}

/// The finding a `syn::Error` carries: the one [`raise`]d as its text, or (an error no tap
/// parser raised, which [`from_syn`] wraps before it gets here) a syntax finding of its text.
fn finding_of(error: &syn::Error) -> Finding {
    let text = error.to_string();
    RAISED.with(|r| r.borrow().get(&text).cloned()).unwrap_or_else(|| Finding::dsl(Dsl::Syntax, Loc::stack(), text, ""))
}

#[derive(Default)]
pub struct Ctxt {
    errors: Option<syn::Error>,
    /// Each finding with its first and last token, in the order pushed (for SARIF).
    pub reported: Vec<(Finding, Span, Span)>,
}

impl Ctxt {
    pub fn push(&mut self, e: syn::Error) {
        for one in e.clone() {
            self.reported.push((finding_of(&one), one.span(), one.span()));
        }
        self.combine(e);
    }
    fn combine(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }
    /// A finding underlining `start..=end`.
    pub fn finding(&mut self, start: Span, end: Span, finding: &Finding) {
        let a = proc_macro2::Ident::new("a", start);
        let b = proc_macro2::Ident::new("b", end);
        self.combine(syn::Error::new_spanned(quote!(#a #b), finding.to_string()));
        self.reported.push((finding.clone(), start, end));
    }
    /// A syntax error on the tokens of `node`.
    pub fn syntax(&mut self, node: impl quote::ToTokens, message: &str, fix: &str) {
        self.push(syn::Error::new_spanned(node, raise(Dsl::Syntax, message, fix)));
    }
    /// syn's errors from parsing `tokens`, as tap's syntax errors: `what` says what was
    /// being read. An error at the end of the input, which syn puts at the call site, points
    /// at `tokens` instead, so every error is on the user's tokens.
    pub fn syn(&mut self, e: syn::Error, tokens: &TokenStream, what: &str, fix: &str) {
        self.push(from_syn(e, tokens, what, fix));
    }
    pub fn has_errors(&self) -> bool {
        self.errors.is_some()
    }
    pub fn into_compile_errors(self) -> TokenStream {
        self.errors.map(|e| e.to_compile_error()).unwrap_or_default()
    }
}

/// A syntax error at `span`, in tap's two-line form.
pub fn syntax_error(span: Span, message: &str, fix: &str) -> syn::Error {
    syn::Error::new(span, raise(Dsl::Syntax, message, fix))
}

/// See [`Ctxt::syn`]. An error one of tap's own parsers [`raise`]d is kept as it is.
pub fn from_syn(e: syn::Error, tokens: &TokenStream, what: &str, fix: &str) -> syn::Error {
    let mut all: Option<syn::Error> = None;
    for one in e {
        let message = one.to_string();
        let one = if RAISED.with(|r| r.borrow().contains_key(&message)) {
            one
        } else {
            let text = raise(Dsl::Syntax, &format!("{what}: {message}"), fix);
            if message.contains("end of input") && !tokens.is_empty() {
                syn::Error::new_spanned(tokens, text)
            } else {
                syn::Error::new(one.span(), text)
            }
        };
        match &mut all {
            Some(a) => a.combine(one),
            None => all = Some(one),
        }
    }
    all.unwrap_or_else(|| syntax_error(Span::call_site(), what, fix))
}

/// The error of a stack's attribute written outside a stack, with the item kept.
pub fn outside(item: TokenStream, message: &str) -> TokenStream {
    let error =
        misplaced(&item, message, "write it on a `let name = resource!(..);` inside a `#[tap::stack]` function");
    quote!(#error #item)
}

/// A syntax error on the first of `tokens`: what a stack reads, written outside one.
pub fn misplaced(tokens: &proc_macro2::TokenStream, message: &str, fix: &str) -> proc_macro2::TokenStream {
    let at = tokens.clone().into_iter().next().map_or_else(proc_macro2::Span::call_site, |t| t.span());
    syntax_error(at, message, fix).to_compile_error()
}
