//! The DSL's syntax tree. Every node keeps the tokens it came from, so any finding about it
//! can be reported on exactly those tokens.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, parenthesized, Ident, LitBool, LitInt, LitStr, Token};
use tap_core::Dsl;

use crate::ctxt::syntax_error;

/// `resource!(Kind { key: value, .. })`, with the binding it was assigned to and the
/// acknowledgements written on it.
#[derive(Clone)]
pub struct Decl {
    pub binding: Option<Ident>,
    pub kind: KindAst,
    pub fields: Vec<Field>,
    pub expects: Vec<ExpectAst>,
    /// `#[tap::moved(from = "..")]`: the logical id it was locked under.
    pub moved: Option<LitStr>,
}

/// The inside of `#[tap::moved(from = "Database")]`.
pub fn parse_moved(input: ParseStream<'_>) -> syn::Result<LitStr> {
    let key: Ident = input.parse()?;
    if key != "from" {
        return Err(syntax_error(key.span(), "`moved` takes `from`", "write `#[tap::moved(from = \"LockedId\")]`"));
    }
    input.parse::<Token![=]>()?;
    let from: LitStr = input.parse()?;
    if !input.is_empty() {
        return Err(input.error(crate::ctxt::raise(
            Dsl::Syntax,
            "unexpected tokens after `from = \"..\"`",
            "write `#[tap::moved(from = \"LockedId\")]`",
        )));
    }
    Ok(from)
}

pub const FORGET_FIX: &str =
    "write `tap::forget!(\"LockedId\", reason = \"why it leaves the stack and stays in the account\");`";

/// `tap::forget!("ArchiveBucket", reason = "..")`: a locked resource leaves the stack.
pub struct ForgetAst {
    pub id: LitStr,
    pub reason: LitStr,
}

impl ForgetAst {
    pub fn parse(input: ParseStream<'_>) -> syn::Result<ForgetAst> {
        let id: LitStr = input
            .parse()
            .map_err(|e| syntax_error(e.span(), "`forget!` names a locked logical id first", FORGET_FIX))?;
        input.parse::<Token![,]>().map_err(|e| syntax_error(e.span(), "`forget!` gives its reason", FORGET_FIX))?;
        let key: Ident = input.parse()?;
        if key != "reason" {
            return Err(syntax_error(key.span(), "`forget!` takes `reason`", FORGET_FIX));
        }
        input.parse::<Token![=]>()?;
        let reason: LitStr = input.parse()?;
        let _ = input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(input.error(crate::ctxt::raise(Dsl::Syntax, "unexpected tokens in `forget!`", FORGET_FIX)));
        }
        Ok(ForgetAst { id, reason })
    }
}

/// `#[tap::expect("TAP-PUBLIC-001", at = "..", reason = "..")]` on a declaration: the
/// syntax only; whether the rule exists and allows it is tap-core's to judge.
#[derive(Clone)]
pub struct ExpectAst {
    pub rule: LitStr,
    pub at: Option<LitStr>,
    pub reason: LitStr,
}

const EXPECT_FIX: &str = "write `#[tap::expect(\"TAP-PUBLIC-001\", reason = \"why this resource breaks the rule on purpose\")]` (with `at = \"property\"` to name one finding)";

impl ExpectAst {
    /// Reads the inside of `#[tap::expect(..)]`.
    pub fn parse_args(input: ParseStream<'_>) -> syn::Result<ExpectAst> {
        let rule: LitStr = input
            .parse()
            .map_err(|e| syntax_error(e.span(), "an acknowledgement names its rule first, as a string", EXPECT_FIX))?;
        let mut at = None;
        let mut reason = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let slot = match key.to_string().as_str() {
                "at" => &mut at,
                "reason" => &mut reason,
                _ => {
                    return Err(syntax_error(
                        key.span(),
                        &format!("`{key}` is not an argument of `#[tap::expect]`"),
                        EXPECT_FIX,
                    ))
                }
            };
            if slot.replace(value).is_some() {
                return Err(syntax_error(key.span(), &format!("`{key}` is written twice"), EXPECT_FIX));
            }
        }
        let reason = reason.ok_or_else(|| {
            syntax_error(rule.span(), "an acknowledgement gives its reason: `reason = \"..\"`", EXPECT_FIX)
        })?;
        Ok(ExpectAst { rule, at, reason })
    }
}

/// A kind word (`Bucket`) or a CloudFormation type (`AWS::Events::Rule`), as written.
#[derive(Clone)]
pub struct KindAst {
    pub segments: Vec<Ident>,
}

impl KindAst {
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("::")
    }
    /// First and last token.
    pub fn span(&self) -> (Span, Span) {
        (self.segments[0].span(), self.segments[self.segments.len() - 1].span())
    }
}

#[derive(Clone)]
pub struct Field {
    pub key: Key,
    pub value: ValueAst,
}

/// A property name: an identifier, or (inside a `{ .. }` value) a string, for the keys
/// CloudFormation documents use that are not identifiers (`"aws:SourceArn"` in a policy's
/// condition).
#[derive(Clone)]
pub struct Key {
    pub name: String,
    span: Span,
}

impl Key {
    pub fn span(&self) -> Span {
        self.span
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

#[derive(Clone)]
pub enum ValueAst {
    Str(LitStr),
    Int(i64, Span),
    Bool(LitBool),
    Word(Ident),
    Attr(Ident, Ident),
    /// `data::orders` or `data::orders.arn`: a resource of another stack of the app.
    Remote(Ident, Ident, Option<Ident>),
    List(Span, Vec<ValueAst>),
    Map(Span, Vec<Field>),
    Call(Ident, Vec<ValueAst>),
}

impl ValueAst {
    /// First and last token, for errors that should underline the whole value.
    pub fn span(&self) -> (Span, Span) {
        match self {
            ValueAst::Str(l) => (l.span(), l.span()),
            ValueAst::Int(_, s) | ValueAst::List(s, _) | ValueAst::Map(s, _) => (*s, *s),
            ValueAst::Bool(b) => (b.span, b.span),
            ValueAst::Word(w) => (w.span(), w.span()),
            ValueAst::Attr(a, b) => (a.span(), b.span()),
            ValueAst::Remote(stack, binding, member) => (stack.span(), member.as_ref().unwrap_or(binding).span()),
            ValueAst::Call(name, _) => (name.span(), name.span()),
        }
    }
}

/// The inside of `resource!( .. )`.
pub struct Body {
    pub kind: KindAst,
    pub fields: Vec<Field>,
}

impl Parse for Body {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let first: Ident = input.parse().map_err(|e| {
            syntax_error(e.span(), "expected a resource kind", "write `resource!(Bucket { property: value, .. })`")
        })?;
        let mut segments = vec![first];
        while input.peek(Token![::]) {
            input.parse::<Token![::]>()?;
            segments.push(input.call(syn::ext::IdentExt::parse_any).map_err(|e| {
                syntax_error(
                    e.span(),
                    "expected the rest of a CloudFormation type",
                    "write `AWS::Service::Resource { Property: value, .. }`",
                )
            })?);
        }
        let kind = KindAst { segments };
        let kind_text = kind.text();
        if !input.peek(syn::token::Brace) {
            // At the end of the input, on the kind itself.
            let at = if input.is_empty() {
                kind.segments.last().map_or_else(|| input.span(), |s| s.span())
            } else {
                input.span()
            };
            return Err(syntax_error(
                at,
                &format!("expected `{{` after `{kind_text}`"),
                &format!("write `{kind_text} {{ property: value, .. }}`"),
            ));
        }
        let content;
        braced!(content in input);
        let fields = parse_fields(&content)?;
        if !input.is_empty() {
            return Err(input.error(crate::ctxt::raise(
                Dsl::Syntax,
                "unexpected tokens after the resource's `}`",
                "declare one resource per `resource!(..)`",
            )));
        }
        Ok(Body { kind, fields })
    }
}

pub fn parse_fields(input: ParseStream<'_>) -> syn::Result<Vec<Field>> {
    let mut fields = Vec::new();
    while !input.is_empty() {
        let (key, ident) = if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            (Key { name: lit.value(), span: lit.span() }, None)
        } else {
            let ident: Ident = input
                .call(syn::ext::IdentExt::parse_any)
                .map_err(|e| syntax_error(e.span(), "expected a property name", "write `property: value`"))?;
            (Key { name: ident.to_string(), span: ident.span() }, Some(ident))
        };
        // `vpc` alone is `vpc: vpc`, as in Rust's field init shorthand: a reference to the
        // binding of the property's name.
        let value = if let (Some(ident), true) = (&ident, input.is_empty() || input.peek(Token![,])) {
            ValueAst::Word(ident.clone())
        } else if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            parse_value(input)?
        } else {
            return Err(syntax_error(
                input.span(),
                &format!("expected `:` after `{key}`"),
                &format!("write `{key}: <value>`"),
            ));
        };
        fields.push(Field { key, value });
        if input.is_empty() {
            break;
        }
        if !input.peek(Token![,]) {
            return Err(syntax_error(
                input.span(),
                "expected `,` between properties",
                "end each `property: value` with `,`",
            ));
        }
        input.parse::<Token![,]>()?;
    }
    Ok(fields)
}

fn parse_value(input: ParseStream<'_>) -> syn::Result<ValueAst> {
    if input.peek(LitStr) {
        return Ok(ValueAst::Str(input.parse()?));
    }
    if input.peek(LitBool) {
        return Ok(ValueAst::Bool(input.parse()?));
    }
    if input.peek(LitInt) || input.peek(Token![-]) {
        let neg = input.parse::<Option<Token![-]>>()?.is_some();
        let lit: LitInt = input.parse()?;
        let n: i64 = lit.base10_parse().map_err(|_| {
            syn::Error::new(
                lit.span(),
                crate::ctxt::raise(
                    Dsl::WrongType,
                    "expected a plain integer",
                    "write the number without a type suffix, within 64 bits",
                ),
            )
        })?;
        return Ok(ValueAst::Int(if neg { -n } else { n }, lit.span()));
    }
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse_value(&content)?);
            if content.is_empty() {
                break;
            }
            content
                .parse::<Token![,]>()
                .map_err(|e| syntax_error(e.span(), "expected `,` between list items", "write `[a, b, c]`"))?;
        }
        return Ok(ValueAst::List(bracket.span.open(), items));
    }
    if input.peek(syn::token::Brace) {
        let content;
        let brace = braced!(content in input);
        return Ok(ValueAst::Map(brace.span.open(), parse_fields(&content)?));
    }
    if input.peek(Ident) {
        let ident: Ident = input.parse()?;
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let mut args = Vec::new();
            while !content.is_empty() {
                args.push(parse_value(&content)?);
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            return Ok(ValueAst::Call(ident, args));
        }
        if input.peek(Token![::]) {
            input.parse::<Token![::]>()?;
            let binding: Ident = input.parse().map_err(|e| {
                syntax_error(
                    e.span(),
                    "expected the other stack's binding",
                    "write `stack::binding` or `stack::binding.member`",
                )
            })?;
            let member = if input.peek(Token![.]) {
                input.parse::<Token![.]>()?;
                Some(input.call(syn::ext::IdentExt::parse_any)?)
            } else {
                None
            };
            return Ok(ValueAst::Remote(ident, binding, member));
        }
        if input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            let attr: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            // `orders.jobs.url`: resource `jobs` of the component instance `orders`, bound
            // as `orders_jobs` (see component.rs).
            if input.peek(Token![.]) {
                input.parse::<Token![.]>()?;
                let member: Ident = input.call(syn::ext::IdentExt::parse_any)?;
                return Ok(ValueAst::Attr(crate::component::joined(&ident, &attr, ident.span()), member));
            }
            return Ok(ValueAst::Attr(ident, attr));
        }
        return Ok(ValueAst::Word(ident));
    }
    // `input.error` says "unexpected end of input" when the value is missing altogether.
    Err(input.error(crate::ctxt::raise(Dsl::Syntax,
        "expected a value",
        "write a string, an integer, true/false, a word, `resource`, `resource.attribute`, `stack::resource.attribute`, `[..]`, `{ .. }` or `Call(..)`",
    )))
}
