use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::database::Database;
use crate::kinds::schema::Lifecycle;

pub static RULE: Rule = Rule {
    id: "TAP-KEEP-005",
    title: "A kept database's credentials are kept with it",
    mistake: "durable lifecycle: the secret holding a kept database's master password deleted with the stack",
    seed: "",
    explanation: "A database that survives its stack is useless without its credentials: the \
        master password was generated into the secret at deploy time and exists nowhere else. \
        In a durable deployment the secret a kept database uses is kept as well; marking it \
        `disposable` (or `removal: Destroy`) contradicts that.",
    fix: "Remove `disposable` from the secret: it is kept as long as its database is.",
    lifecycle: Some(Lifecycle::Durable),
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, db) in cx.stack.of::<Database>() {
        let secret = db.credentials.index;
        if !cx.stack.kept_when_durable(i) || cx.stack.kept_when_durable(secret) {
            continue;
        }
        let Some(why) = cx.stack.node(secret).res.disposable() else { continue };
        out.push(Finding::new(
            RULE.id,
            why.loc.clone(),
            format!("{} is disposable, but {} that it unlocks is kept: its password would be gone", cx.stack.node(secret).label, cx.stack.node(i).label),
            "remove `disposable` from the secret (or make the database disposable too)",
        ));
    }
    out
}
