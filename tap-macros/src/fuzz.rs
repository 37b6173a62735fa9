//! The macro under hostile input: random token-level mutations of every teaching case
//! (`tests/ui/**/*.rs`) and of tap-stack's stack, fed to `#[stack]` (and an app's module to
//! `#[tap::app]`) in-process. Whatever
//! the input, the macro must not panic, and every error it emits must carry a TAP id and
//! point inside the input (never at the call site, where the user could not find it).
//!
//! Deterministic (a fixed seed; a failure prints the seed, the file and the mutated
//! tokens) and the same work on every machine: `TAP_FUZZ_ROUNDS` (default 300) mutations of
//! each case, taken in turn. It also holds that the mutations bite: a third at least must
//! change what the macro reports for the case as written, or the fuzzer tests nothing.
//! Runs on stable as an ordinary unit test.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One `#[stack]` function found in a file: its attribute's arguments, the function
/// without the attribute, and the directory relative paths resolve against.
struct Case {
    file: PathBuf,
    args: TokenStream,
    item: TokenStream,
    /// A `#[tap::app]` module rather than a `#[stack]` function.
    app: bool,
    /// The components the file declares, as the chain would hand them to the stack.
    components: Vec<syn::ItemFn>,
}

impl Case {
    fn expand(&self, args: TokenStream, item: TokenStream) -> TokenStream {
        let root = self.file.parent().unwrap().into();
        let mut cx = crate::ctxt::Ctxt::default();
        let defs: super::Components = self
            .components
            .iter()
            .map(|f| (f.sig.ident.to_string(), crate::component::definition(f, &mut cx)))
            .collect();
        let defs = (!defs.is_empty()).then_some(&defs);
        if self.app {
            super::expand_app_with(args, item, root, defs)
        } else {
            super::expand_stack_with(args, item, root, defs)
        }
    }
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = vec![root.join("tap-stack/src/stack.rs")];
    let ui = root.join("tests/ui");
    let mut areas: Vec<PathBuf> =
        std::fs::read_dir(&ui).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    areas.sort();
    for area in areas {
        let mut more: Vec<PathBuf> = std::fs::read_dir(area)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        more.sort();
        files.extend(more);
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(parsed) = syn::parse_file(&text) else { continue };
        let is_component =
            |f: &syn::ItemFn| f.attrs.iter().any(|a| a.path().segments.last().is_some_and(|s| s.ident == "component"));
        let components: Vec<syn::ItemFn> = parsed
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Fn(f) if is_component(f) => Some(f.clone()),
                _ => None,
            })
            .collect();
        for item in parsed.items {
            if let syn::Item::Mod(mut m) = item {
                if let Some(at) =
                    m.attrs.iter().position(|a| a.path().segments.last().is_some_and(|s| s.ident == "app"))
                {
                    m.attrs.remove(at);
                    out.push(Case {
                        file: file.clone(),
                        args: TokenStream::new(),
                        item: m.into_token_stream(),
                        app: true,
                        components: components.clone(),
                    });
                }
                continue;
            }
            let syn::Item::Fn(mut f) = item else { continue };
            let Some(at) = f.attrs.iter().position(|a| a.path().segments.last().is_some_and(|s| s.ident == "stack"))
            else {
                continue;
            };
            let attr = f.attrs.remove(at);
            let args = match attr.meta {
                syn::Meta::List(list) => list.tokens,
                _ => TokenStream::new(),
            };
            out.push(Case {
                file: file.clone(),
                args,
                item: f.into_token_stream(),
                app: false,
                components: components.clone(),
            });
        }
    }
    out
}

/// Words and literals the mutations draw from: everything the cases use, and values at
/// the edges of what properties accept.
struct Vocabulary {
    idents: Vec<String>,
    literals: Vec<String>,
}

fn vocabulary(cases: &[Case]) -> Vocabulary {
    let mut idents = std::collections::BTreeSet::new();
    let mut literals = std::collections::BTreeSet::new();
    fn walk(
        ts: &TokenStream,
        idents: &mut std::collections::BTreeSet<String>,
        literals: &mut std::collections::BTreeSet<String>,
    ) {
        for tt in ts.clone() {
            match tt {
                TokenTree::Ident(i) => {
                    idents.insert(i.to_string());
                }
                TokenTree::Literal(l) => {
                    literals.insert(l.to_string());
                }
                TokenTree::Group(g) => walk(&g.stream(), idents, literals),
                TokenTree::Punct(_) => {}
            }
        }
    }
    for c in cases {
        walk(&c.item, &mut idents, &mut literals);
        walk(&c.args, &mut idents, &mut literals);
    }
    for edge in [
        "\"\"",
        "0",
        "-1",
        "18446744073709551616",
        "1.5",
        "'x'",
        "b\"x\"",
        "\"{suffix\"",
        "\"{}\"",
        "\"{suffix}{suffix}\"",
        "\"x-{suffix}-{suffix}\"",
        "true",
        "\"\\u{0}\"",
    ] {
        literals.insert(edge.to_owned());
    }
    for edge in ["r#type", "_", "self", "Self", "crate", "résumé"] {
        idents.insert(edge.to_owned());
    }
    Vocabulary { idents: idents.into_iter().collect(), literals: literals.into_iter().collect() }
}

/// Applies one random mutation somewhere in the tree. `here` is the span of the group
/// the tokens are in: a token put into an empty group takes it, so every token of the
/// mutated input has a position in the input.
fn mutate(ts: TokenStream, here: Span, rng: &mut Rng, vocab: &Vocabulary) -> TokenStream {
    let mut trees: Vec<TokenTree> = ts.into_iter().collect();
    if trees.is_empty() {
        return TokenStream::from(TokenTree::Ident(Ident::new("x", here)));
    }
    let k = rng.below(trees.len());
    // Descend into a group half of the time, so deep tokens get mutated as often as shallow.
    if let TokenTree::Group(g) = &trees[k] {
        if rng.below(2) == 0 {
            let inner = mutate(g.stream(), g.span(), rng, vocab);
            let mut ng = Group::new(g.delimiter(), inner);
            ng.set_span(g.span());
            trees[k] = TokenTree::Group(ng);
            return trees.into_iter().collect();
        }
    }
    match rng.below(5) {
        0 => {
            trees.remove(k);
        }
        1 => {
            let t = trees[k].clone();
            trees.insert(k, t);
        }
        2 if k + 1 < trees.len() => trees.swap(k, k + 1),
        _ => {
            let span = trees[k].span();
            trees[k] = match &trees[k] {
                TokenTree::Ident(_) => {
                    let word = &vocab.idents[rng.below(vocab.idents.len())];
                    match syn::parse_str::<Ident>(word) {
                        Ok(mut i) => {
                            i.set_span(span);
                            TokenTree::Ident(i)
                        }
                        Err(_) => TokenTree::Ident(Ident::new("x", span)),
                    }
                }
                TokenTree::Literal(_) => {
                    let text = &vocab.literals[rng.below(vocab.literals.len())];
                    match text.parse::<Literal>() {
                        Ok(mut l) => {
                            l.set_span(span);
                            TokenTree::Literal(l)
                        }
                        Err(_) => {
                            let mut l = Literal::string("x");
                            l.set_span(span);
                            TokenTree::Literal(l)
                        }
                    }
                }
                TokenTree::Punct(_) => {
                    let c = [',', ':', ';', '.', '=', '!', '#', '-', '&', '<', '>'][rng.below(11)];
                    let mut p = Punct::new(c, if rng.below(2) == 0 { Spacing::Alone } else { Spacing::Joint });
                    p.set_span(span);
                    TokenTree::Punct(p)
                }
                TokenTree::Group(g) => {
                    let delimiter =
                        [Delimiter::Brace, Delimiter::Bracket, Delimiter::Parenthesis, Delimiter::None][rng.below(4)];
                    let stream = if rng.below(3) == 0 { TokenStream::new() } else { g.stream() };
                    let mut ng = Group::new(delimiter, stream);
                    ng.set_span(span);
                    TokenTree::Group(ng)
                }
            };
        }
    }
    trees.into_iter().collect()
}

/// The errors in the macro's output: (message, first token's span, last token's span).
fn errors(out: &TokenStream) -> Vec<(String, Span, Span)> {
    let trees: Vec<TokenTree> = out.clone().into_iter().collect();
    let mut found = Vec::new();
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Ident(id) if id == "compile_error" => {
                if let Some(TokenTree::Group(g)) = trees.get(i + 2) {
                    let message = g.stream().into_iter().find_map(|t| match t {
                        TokenTree::Literal(l) => syn::parse_str::<syn::LitStr>(&l.to_string()).ok().map(|s| s.value()),
                        _ => None,
                    });
                    found.push((message.unwrap_or_default(), id.span(), g.span()));
                }
            }
            TokenTree::Group(g) => found.extend(errors(&g.stream())),
            _ => {}
        }
    }
    found
}

/// A span of the input: it has a position in a parsed file (the call site has none).
fn in_input(span: Span, call_site: &proc_macro2::LineColumn) -> bool {
    let (start, end) = (span.start(), span.end());
    start.line >= 1
        && (start.line, start.column) != (call_site.line, call_site.column)
        && (end.line, end.column) >= (start.line, start.column)
}

#[test]
fn mutated_stacks_give_tap_errors_inside_the_input_and_never_panic() {
    let cases = cases();
    assert!(cases.len() >= 80, "found only {} #[stack] functions to mutate", cases.len());
    let vocab = vocabulary(&cases);
    let rounds: usize = std::env::var("TAP_FUZZ_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let call_site = Span::call_site().start();
    // What each case reports as written: a mutation bites when it changes that.
    let baseline: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let out = c.expand(c.args.clone(), c.item.clone());
            errors(&out).into_iter().map(|(m, _, _)| m).collect()
        })
        .collect();
    // Panics are caught and reported below with the input; keep the default hook quiet.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut runs, mut with_errors, mut problems) = (0usize, 0usize, Vec::new());
    let mut changed = 0usize;
    let mut rng = Rng(0x7A9_5EED);
    'outer: for round in 0..rounds {
        for (case, before) in cases.iter().zip(&baseline) {
            if problems.len() >= 10 {
                break 'outer;
            }
            let seed = rng.next() | 1;
            let mut local = Rng(seed);
            let (mut args, mut item) = (case.args.clone(), case.item.clone());
            let item_span = item.clone().into_iter().next().map_or_else(Span::call_site, |t| t.span());
            for _ in 0..1 + local.below(3) {
                // The arguments are short; mutate them one time in eight.
                if local.below(8) == 0 {
                    args = mutate(args, item_span, &mut local, &vocab);
                } else {
                    item = mutate(item, item_span, &mut local, &vocab);
                }
            }
            let input =
                if case.app { format!("#[tap::app({args})] {item}") } else { format!("#[stack({args})] {item}") };
            runs += 1;
            let out = match catch_unwind(AssertUnwindSafe(|| case.expand(args.clone(), item.clone()))) {
                Ok(out) => out,
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    problems.push(format!(
                        "PANIC ({what}) on a mutation of {} (round {round}, seed {seed:#x}):\n{input}",
                        case.file.display()
                    ));
                    continue;
                }
            };
            let errs = errors(&out);
            with_errors += usize::from(!errs.is_empty());
            changed += usize::from(errs.iter().map(|(m, _, _)| m).ne(before.iter()));
            for (message, first, last) in errs {
                if !message.contains("TAP-") {
                    problems.push(format!(
                        "an error without a TAP id: {message:?} on a mutation of {} (seed {seed:#x}):\n{input}",
                        case.file.display()
                    ));
                } else if !in_input(first, &call_site) || !in_input(last, &call_site) {
                    problems.push(format!("an error outside the input ({:?}..{:?}): {message:?} on a mutation of {} (seed {seed:#x}):\n{input}", first.start(), last.end(), case.file.display()));
                }
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {runs} mutated stacks from {} cases in {:.1} s; {with_errors} gave errors, {changed} other errors than their case as written",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
    assert_eq!(runs, rounds * cases.len(), "every case is mutated in every round");
    assert!(
        changed * 3 >= runs,
        "only {changed} of {runs} mutations changed what the macro reports: the mutations do not bite"
    );
}
