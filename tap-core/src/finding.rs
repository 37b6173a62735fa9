//! What a check reports: a rule id, what is wrong, how to fix it, and where.

use std::fmt;

use crate::model::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable id: `TAP-<AREA>-<NNN>`.
    pub id: &'static str,
    pub message: String,
    pub fix: String,
    pub loc: Loc,
}

impl Finding {
    pub fn new(id: &'static str, loc: Loc, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { id, message: message.into(), fix: fix.into(), loc }
    }
}

impl fmt::Display for Finding {
    /// The text the compiler shows: what is wrong on the first line, the fix on the second.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}\nfix: {}", self.id, self.message, self.fix)
    }
}

/// Every finding of a check, in the order found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn ids(&self) -> Vec<&'static str> {
        self.0.iter().map(|f| f.id).collect()
    }
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Findings {}

/// Closest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word.to_lowercase(), &c.to_lowercase());
        let limit = (word.len().max(c.len()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `hint` formatted as a sentence tail, or nothing.
pub fn hint(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("removel", ["removal", "name"]), Some("removal"));
        assert_eq!(did_you_mean("zzz", ["removal", "name"]), None);
        assert_eq!(did_you_mean("Buckt", ["Bucket", "Stream"]), Some("Bucket"));
    }
}
