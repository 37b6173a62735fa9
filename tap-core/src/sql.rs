//! Just enough SQL to check a schema file at compile time: statements split on `;` outside
//! strings, quoted identifiers, comments and dollar quotes; balanced parentheses; and every
//! `CREATE` idempotent, because the schema is applied on every cold start.

/// A PostgreSQL role name tap writes unquoted: lowercase letters, digits and `_`, not
/// starting with a digit, at most 63 bytes. The `DatabaseUser` kind checks it at compile
/// time and the setup function again at run time, on the event it receives.
pub fn is_role_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The statements of a script, without comments or the trailing `;`.
pub fn statements(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let end = find(&chars, i + 2, "*/").ok_or("unterminated /* comment")?;
                i = end + 2;
                continue;
            }
            '\'' | '"' => {
                let end = chars[i + 1..].iter().position(|d| *d == c).ok_or(format!("unterminated {c} quote"))?;
                cur.extend(&chars[i..=i + 1 + end]);
                i += end + 2;
                continue;
            }
            '$' => {
                // $tag$ ... $tag$ bodies (functions, DO blocks).
                if let Some(close) = chars[i + 1..].iter().position(|d| *d == '$') {
                    let tag: String = chars[i..=i + 1 + close].iter().collect();
                    if tag[1..tag.len() - 1].chars().all(|d| d.is_alphanumeric() || d == '_') {
                        let start = i + tag.chars().count();
                        let end = find(&chars, start, &tag).ok_or(format!("unterminated {tag} body"))?;
                        cur.extend(&chars[i..end + tag.chars().count()]);
                        i = end + tag.chars().count();
                        continue;
                    }
                }
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err("unbalanced `)`".into());
                }
            }
            ';' => {
                if depth != 0 {
                    return Err("unbalanced `(` before `;`".into());
                }
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_owned());
                }
                cur.clear();
                i += 1;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    if depth != 0 {
        return Err("unbalanced `(` at end of file".into());
    }
    if !cur.trim().is_empty() {
        return Err(format!("last statement has no `;`: `{}`", first_words(&cur)));
    }
    Ok(out)
}

fn find(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (from..chars.len()).find(|&k| chars[k..].starts_with(&pat))
}

fn first_words(s: &str) -> String {
    s.split_whitespace().take(4).collect::<Vec<_>>().join(" ")
}

const STARTS: &[&str] =
    &["CREATE", "ALTER", "INSERT", "COMMENT", "DO", "SET", "GRANT", "REVOKE", "UPDATE", "DROP", "SELECT"];

/// Checks a schema script: it parses into statements and every `CREATE` is idempotent.
pub fn check(text: &str) -> Result<Vec<String>, String> {
    let stmts = statements(text)?;
    if stmts.is_empty() {
        return Err("has no statements".into());
    }
    for s in &stmts {
        let upper = s.to_uppercase();
        let words: Vec<&str> = upper.split_whitespace().collect();
        if !STARTS.contains(&words[0]) {
            return Err(format!("`{}` is not a statement a schema holds", first_words(s)));
        }
        if words[0] == "CREATE" {
            let idempotent = upper.contains("IF NOT EXISTS") || words.get(1) == Some(&"OR");
            if !idempotent {
                return Err(format!("`{}` is not idempotent; write `IF NOT EXISTS` (or `OR REPLACE`)", first_words(s)));
            }
        }
        if words[0] == "DROP" && !upper.contains("IF EXISTS") {
            return Err(format!("`{}` fails on the second run; write `IF EXISTS`", first_words(s)));
        }
    }
    Ok(stmts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_checks() {
        let ok = "-- products\nCREATE TABLE IF NOT EXISTS p (id text PRIMARY KEY, note text DEFAULT 'a;b');\n\
                  CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n";
        assert_eq!(check(ok).unwrap().len(), 2);
        assert!(check("CREATE TABLE p (id int);").unwrap_err().contains("idempotent"));
        assert!(check("CREATE TABLE IF NOT EXISTS p (id int;").is_err());
        assert!(check("CREATE TABLE IF NOT EXISTS p (id int)").unwrap_err().contains("no `;`"));
        assert!(check("hello world;").is_err());
        assert!(check("  -- nothing\n").is_err());
    }
}
