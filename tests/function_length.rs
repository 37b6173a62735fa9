//! Files stay reviewable: no production function is over 100 lines, unless it is a
//! declaration (a `#[stack]`, which lists resources rather than doing steps). The code is
//! rustfmt'd (a gate of the test command), so a function ends at the first line that closes
//! a brace at its own indentation; `#[cfg(test)]` items are not production code.

use std::path::{Path, PathBuf};

const LIMIT: usize = 100;
const CRATES: &[&str] = &["src", "tap-core/src", "tap-macros/src", "tap-stack/src", "cargo-tap/src", "examples"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The line (0-based) that closes the item opened at `start`, whose indentation is `at`.
fn close(lines: &[&str], start: usize, at: usize) -> usize {
    (start + 1..lines.len())
        .find(|&k| indent(lines[k]) == at && lines[k].trim_start().starts_with('}'))
        .unwrap_or(lines.len())
}

/// `(name, first line, length)` of each production function over the limit.
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        if line.starts_with("#[cfg(test)]") {
            // The item that follows, whole.
            let next = i + 1;
            i = close(&lines, next, indent(lines.get(next).copied().unwrap_or_default())) + 1;
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let fn_at = words.iter().take(4).position(|w| *w == "fn");
        let is_fn = fn_at.is_some_and(|p| {
            words[..p].iter().all(|w| w.starts_with("pub") || ["async", "const", "unsafe"].contains(w))
        });
        if !is_fn {
            i += 1;
            continue;
        }
        let name = words[fn_at.unwrap() + 1].split(['(', '<']).next().unwrap_or_default().to_owned();
        // The signature ends at `{` (a body) or `;` (a declaration in a trait).
        let Some(open) =
            (i..lines.len()).find(|&k| lines[k].trim_end().ends_with('{') || lines[k].trim_end().ends_with(';'))
        else {
            break;
        };
        if lines[open].trim_end().ends_with(';') {
            i = open + 1;
            continue;
        }
        let end = close(&lines, open, indent(lines[i]));
        let declaration = (0..i)
            .rev()
            .take_while(|&k| lines[k].trim_start().starts_with("#[") || lines[k].trim_start().starts_with("///"))
            .any(|k| {
                let attr = lines[k].trim_start();
                attr.starts_with("#[stack") || attr.starts_with("#[tap::stack")
            });
        let length = end - i + 1;
        if length > LIMIT && !declaration {
            out.push((name, i + 1, length));
        }
        i += 1;
    }
    out
}

#[test]
fn no_production_function_is_over_100_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CRATES {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "the scan found {} files: the crate list is stale", files.len());
    let mut long = Vec::new();
    for file in &files {
        for (name, line, length) in long_functions(&std::fs::read_to_string(file).unwrap()) {
            long.push(format!("{}:{line} `{name}` is {length} lines", file.strip_prefix(root).unwrap().display()));
        }
    }
    assert!(long.is_empty(), "split these into steps with names (at most {LIMIT} lines each):\n{}", long.join("\n"));
}

/// The scan finds a long function, skips a test module and a `#[stack]` declaration.
#[test]
fn the_scan_sees_what_it_judges() {
    let body = "    let x = 1;\n".repeat(LIMIT);
    let long = format!("pub async fn steps() {{\n{body}}}\n");
    assert_eq!(long_functions(&long), [("steps".to_owned(), 1, LIMIT + 2)]);
    assert!(long_functions(&format!("#[cfg(test)]\nmod tests {{\n    fn t() {{\n{body}    }}\n}}\n")).is_empty());
    assert!(long_functions(&format!("#[tap::stack]\nfn catalog() {{\n{body}}}\n")).is_empty());
    // A doc comment that mentions a stack does not make a declaration.
    assert_eq!(long_functions(&format!("/// Builds the #[stack].\nfn build() {{\n{body}}}\n")).len(), 1);
    assert!(long_functions(&format!("fn short() {{\n{}}}\n", "    let x = 1;\n".repeat(LIMIT - 2))).is_empty());
}
