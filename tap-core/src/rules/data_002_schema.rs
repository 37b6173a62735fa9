use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::database::Database;
use crate::model::Loc;
use crate::sql;

pub static RULE: Rule = Rule {
    id: "TAP-DATA-002",
    title: "A database a function uses declares its schema, which exists, parses and is idempotent",
    mistake: "seed mistake 19: no database schema initialization (UPDATE products fails: no table)",
    seed: "cursor.execute(\"UPDATE products SET inventory = %s WHERE id = %s\", ...)  (no table was ever created)",
    explanation: "The seed created an empty database and a function that updates a table nobody \
        created. A database that a function uses names its schema file; the file must exist, \
        parse, and be idempotent (`CREATE ... IF NOT EXISTS`), because the function applies it on \
        every cold start.",
    fix: "Add `schema: \"sql/schema.sql\"` (relative to the stack's file) with idempotent statements.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a database without its schema fails the first query"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, db) in cx.stack.of::<Database>() {
        let label = &cx.stack.node(i).label;
        let used = cx.uses.iter().any(|u| u.target == i);
        match &db.schema {
            None if used => out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{label} is used by a function but declares no schema"),
                "add `schema: \"sql/schema.sql\"` with `CREATE TABLE IF NOT EXISTS ...`",
            )),
            None => {}
            Some(path) => {
                let file = cx.root.join(&path.0);
                let problem = match std::fs::read_to_string(&file) {
                    Err(e) => {
                        Some(format!("schema \"{}\" cannot be read ({e}; resolved from {})", path.0, cx.root.display()))
                    }
                    Ok(text) => sql::check(&text).err().map(|e| format!("schema \"{}\": {e}", path.0)),
                };
                if let Some(p) = problem {
                    out.push(Finding::new(
                        RULE.id,
                        path.loc.clone(),
                        format!("{label}: {p}"),
                        "fix the schema file; statements must be idempotent",
                    ));
                }
            }
        }
    }
    out
}
