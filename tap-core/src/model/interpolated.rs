//! The one parser of the strings a stack writes: text, `{suffix}`, `{word}` placeholders
//! and `{{text}}` escapes.

/// One piece of a string as tap reads it (see [`Interpolated`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Written as it is.
    Text(&'a str),
    /// `{{text}}`: the literal `{text}` (a route's path parameter, say).
    Escaped(&'a str),
    /// `{suffix}`: the environment suffix, filled in per deployment.
    Suffix,
    /// `{word}`: a placeholder, which may name a resource of the stack.
    Word(&'a str),
}

/// A string parsed into its pieces, once, by the one parser every site that looks for
/// `{suffix}` or a `{binding}` uses: names, exports, raw values, routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated<'a>(pub Vec<Piece<'a>>);

impl<'a> Interpolated<'a> {
    pub fn parse(s: &'a str) -> Self {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                out.push(Piece::Text(&rest[..open]));
            }
            let at = &rest[open..];
            let (piece, after) = if let Some(inner) = at.strip_prefix("{{") {
                match inner.split_once("}}") {
                    Some((text, after)) => (Piece::Escaped(text), after),
                    None => (Piece::Text(at), ""),
                }
            } else {
                match at[1..].split_once('}') {
                    Some(("suffix", after)) => (Piece::Suffix, after),
                    Some((word, after)) => (Piece::Word(word), after),
                    None => (Piece::Text(at), ""),
                }
            };
            out.push(piece);
            rest = after;
        }
        if !rest.is_empty() {
            out.push(Piece::Text(rest));
        }
        Interpolated(out)
    }
    /// How many times `{suffix}` is written.
    pub fn suffixes(&self) -> usize {
        self.0.iter().filter(|p| **p == Piece::Suffix).count()
    }
    pub fn has_suffix(&self) -> bool {
        self.suffixes() > 0
    }
    /// The `{word}`s other than `{suffix}`, in order.
    pub fn words(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Word(w) => Some(*w),
            _ => None,
        })
    }
    /// The string with `{suffix}` written as `suffix`, each `{{text}}` as `{text}`, and each
    /// `{word}` as `word(w)` gives (or as written, where it gives nothing).
    pub fn render(&self, suffix: &str, word: impl Fn(&str) -> Option<String>) -> String {
        self.fill(suffix, false, word)
    }
    /// The string as written, with `{suffix}` written as `suffix` (placeholders and escapes
    /// kept as they are): a name's fixed part, or its longest form.
    pub fn with_suffix(&self, suffix: &str) -> String {
        self.fill(suffix, true, |_| None)
    }
    fn fill(&self, suffix: &str, keep_escapes: bool, word: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Escaped(t) if keep_escapes => out.push_str(&format!("{{{{{t}}}}}")),
                Piece::Escaped(t) => out.push_str(&format!("{{{t}}}")),
                Piece::Suffix => out.push_str(suffix),
                Piece::Word(w) => out.push_str(&word(w).unwrap_or_else(|| format!("{{{w}}}"))),
            }
        }
        out
    }
}

/// The `{word}`s of a string other than `{suffix}`, in order: `"integrations/{integration}"`
/// has `integration`; `{{text}}` is text.
pub fn placeholders(s: &str) -> Vec<&str> {
    Interpolated::parse(s).words().collect()
}

#[cfg(test)]
mod tests {
    use super::{placeholders, Interpolated, Piece};

    #[test]
    fn a_string_is_parsed_once_into_its_pieces() {
        let parsed = Interpolated::parse("orders-{suffix}/{{id}}/{bucket}-{open");
        assert_eq!(
            parsed.0,
            [
                Piece::Text("orders-"),
                Piece::Suffix,
                Piece::Text("/"),
                Piece::Escaped("id"),
                Piece::Text("/"),
                Piece::Word("bucket"),
                Piece::Text("-"),
                Piece::Text("{open"),
            ]
        );
        assert_eq!(parsed.suffixes(), 1);
        assert_eq!(parsed.words().collect::<Vec<_>>(), ["bucket"]);
        assert_eq!(parsed.render("dev", |w| (w == "bucket").then(|| "B".to_owned())), "orders-dev/{id}/B-{open");
        assert_eq!(parsed.with_suffix(""), "orders-/{{id}}/{bucket}-{open");
        assert_eq!(Interpolated::parse("{suffix}{suffix}").suffixes(), 2);
        assert!(!Interpolated::parse("{{suffix}}").has_suffix(), "an escaped suffix is text");
        assert_eq!(Interpolated::parse("{{open").0, [Piece::Text("{{open")]);
    }

    #[test]
    fn a_doubled_brace_is_text_not_a_placeholder() {
        let found: Vec<&str> = placeholders("integrations/{integration}/{{source}}/{suffix}");
        assert_eq!(found, ["integration"]);
        assert_eq!(placeholders("{{only text}}").len(), 0);
        assert_eq!(placeholders("{open").len(), 0);
    }
}
