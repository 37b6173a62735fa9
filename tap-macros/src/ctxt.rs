//! Collects every error of one expansion and combines them, so the user sees all findings
//! of a stack in one build (serde_derive's `Ctxt`).

use proc_macro2::{Span, TokenStream};
use quote::quote;

#[derive(Default)]
pub struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }
    /// An error underlining `start..=end`, in tap's two-line form.
    pub fn error(&mut self, start: Span, end: Span, id: &str, message: &str, fix: &str) {
        let a = proc_macro2::Ident::new("a", start);
        let b = proc_macro2::Ident::new("b", end);
        self.push(syn::Error::new_spanned(quote!(#a #b), format!("{id}: {message}\nfix: {fix}")));
    }
    pub fn has_errors(&self) -> bool {
        self.errors.is_some()
    }
    pub fn into_compile_errors(self) -> TokenStream {
        self.errors.map(|e| e.to_compile_error()).unwrap_or_default()
    }
}
