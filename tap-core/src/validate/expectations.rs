//! What the acknowledgement stage reads, decoded from the property bag here so that no stage
//! after the rules reads the bag: each resource's `#[tap::expect(..)]`s and the name its
//! messages use, and what a finding is about (its subject, as an acknowledgement's `at`
//! names it).

use std::collections::HashMap;

use crate::model::{Expect, Loc, Seg, Stack, Value};

/// Every resource's acknowledgements, by stack index, and the names of the list elements a
/// subject shows.
#[derive(Debug, Default)]
pub struct Expectations {
    pub resources: Vec<Expecting>,
    /// (resource, the keys down to a list, an index) -> the element's name, for an element
    /// that names a resource (`archive`) or an attribute or level of one (`archive.read`).
    elements: HashMap<(usize, Vec<String>, usize), String>,
}

/// One resource's acknowledgements.
#[derive(Debug)]
pub struct Expecting {
    /// How an acknowledgement's message names the resource: "`archive`", or its kind word
    /// when it has no binding.
    pub name: String,
    pub expects: Vec<Expect>,
}

impl Expectations {
    pub fn of(stack: &Stack) -> Expectations {
        let mut elements = HashMap::new();
        for (i, r) in stack.resources.iter().enumerate() {
            for (key, value) in &r.props {
                walk(i, &mut vec![key.clone()], value, &mut elements);
            }
        }
        let resources = stack
            .resources
            .iter()
            .map(|r| Expecting {
                name: r.binding.as_deref().map_or_else(|| r.kind.clone(), |b| format!("`{b}`")),
                expects: r.expects.clone(),
            })
            .collect();
        Expectations { resources, elements }
    }

    /// What a finding at `loc` is about, as `#[tap::expect(.., at = ..)]` names it: the
    /// property path, keys joined with `.`, a list element by the resource it names
    /// (`readers[archive.read]`) or else by its position (`Statement[0]`). Empty for the
    /// resource itself.
    pub fn subject(&self, loc: &Loc) -> String {
        let Some(i) = loc.resource else { return String::new() };
        let mut out = String::new();
        let mut keys: Vec<String> = Vec::new();
        for seg in &loc.path {
            match seg {
                Seg::Key(k) | Seg::Field(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                    keys.push(k.clone());
                }
                Seg::Index(n) => {
                    match self.elements.get(&(i, keys.clone(), *n)) {
                        Some(name) => out.push_str(&format!("[{name}]")),
                        None => out.push_str(&format!("[{n}]")),
                    }
                    keys.push(format!("[{n}]"));
                }
                Seg::Repeat(_) | Seg::Expect(_) | Seg::Moved | Seg::Forget(_) => {}
            }
        }
        out
    }
}

/// Records the named elements of every list under `value`, at the path `keys` names.
fn walk(i: usize, keys: &mut Vec<String>, value: &Value, out: &mut HashMap<(usize, Vec<String>, usize), String>) {
    match value {
        Value::List(items) | Value::Call { args: items, .. } => {
            for (n, item) in items.iter().enumerate() {
                match item {
                    // The first of a repeated key is the one a subject reads, as a lookup would.
                    Value::Word(w) => {
                        out.entry((i, keys.clone(), n)).or_insert_with(|| w.clone());
                    }
                    Value::Dot { target, member } => {
                        out.entry((i, keys.clone(), n)).or_insert_with(|| format!("{target}.{member}"));
                    }
                    _ => {}
                }
                keys.push(format!("[{n}]"));
                walk(i, keys, item, out);
                keys.pop();
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                keys.push(k.clone());
                walk(i, keys, v, out);
                keys.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Expectations;
    use crate::model::{Loc, Resource, Seg, Stack, Value};

    #[test]
    fn a_subject_names_list_elements_by_what_they_reference() {
        let stack = Stack::new("S").with_resource(
            Resource::new("Function", Some("f"))
                .with("readers", Value::List(vec![Value::attr("a", "read"), Value::attr("b", "write")]))
                .with(
                    "doc",
                    Value::map(vec![("Statement", Value::List(vec![Value::map(vec![("P", Value::str("*"))])]))]),
                ),
        );
        let e = Expectations::of(&stack);
        let grant = Loc::prop(0, "readers").push(Seg::Index(1));
        assert_eq!(e.subject(&grant), "readers[b.write]");
        let principal =
            Loc::prop(0, "doc").push(Seg::Key("Statement".into())).push(Seg::Index(0)).push(Seg::Key("P".into()));
        assert_eq!(e.subject(&principal), "doc.Statement[0].P");
        assert_eq!(e.subject(&Loc::resource(0)), "");
        assert_eq!(e.resources[0].name, "`f`");
    }
}
