//! Collects every error of one expansion and combines them, so the user sees all findings
//! of a stack in one build (serde_derive's `Ctxt`). Every message goes through tap-core's
//! one formatter (`Finding`'s `Display`).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use tap_core::{Dsl, Finding};

#[derive(Default)]
pub struct Ctxt {
    errors: Option<syn::Error>,
    /// Each error's text and first and last token, in the order pushed (for SARIF).
    pub reported: Vec<(String, Span, Span)>,
}

impl Ctxt {
    pub fn push(&mut self, e: syn::Error) {
        for one in e.clone() {
            self.reported.push((one.to_string(), one.span(), one.span()));
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
        self.reported.push((finding.to_string(), start, end));
        self.combine(syn::Error::new_spanned(quote!(#a #b), finding.to_string()));
    }
    /// A syntax error on the tokens of `node`.
    pub fn syntax(&mut self, node: impl quote::ToTokens, message: &str, fix: &str) {
        self.push(syn::Error::new_spanned(node, Dsl::Syntax.text(message, fix)));
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
    syn::Error::new(span, Dsl::Syntax.text(message, fix))
}

/// See [`Ctxt::syn`]. An error that already carries a TAP id (one tap's own parsers raise)
/// is kept as it is.
pub fn from_syn(e: syn::Error, tokens: &TokenStream, what: &str, fix: &str) -> syn::Error {
    let mut all: Option<syn::Error> = None;
    for one in e {
        let message = one.to_string();
        let one = if message.starts_with("TAP-") {
            one
        } else {
            let text = Dsl::Syntax.text(&format!("{what}: {message}"), fix);
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
