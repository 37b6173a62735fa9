use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::database::Database;
use crate::kinds::database_user::DatabaseUser;
use crate::kinds::function::Function;
use crate::kinds::value::Grant;
use crate::kinds::view::{FromIndex, Via};

pub static RULE: Rule = Rule {
    id: "TAP-IAM-004",
    title: "A function logs in to a database as a user of its own, never as the master",
    mistake: "the processor read the master credentials and logged in as the master user",
    seed: "\"DB_SECRET_ARN\": db_secret.secret_arn,  # the master user's secret, handed to the processor",
    explanation: "The master user owns every table and can drop them, create roles and read \
        everything: a processor that logs in as it turns any bug or injected statement into \
        the whole database. In tap the master password is generated and rotated by RDS, and \
        only a database's setup function (the `setup` of its `DatabaseUser`s, which applies the \
        schema and creates the users) may read it (`database.admin`), and it must, to create \
        them. Every other function that uses the database logs in as a `DatabaseUser` with \
        `rds_iam` and the access it needs, with an IAM token its `user.connect` grant allows \
        for that one user.",
    fix: "Declare `resource!(DatabaseUser { database, user: \"..\", access: ReadWrite, setup })`, \
        bind `user.name` in the function's `env` and grant `user.connect`; grant `database.admin` \
        only to the setup function.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("the master user can drop every table; a function's own user is one declaration away"),
    checkov: &[],
    check,
};

/// `function` holds access level `level` on a resource `on` accepts.
fn holds(function: &Function, level: &str, on: impl Fn(usize) -> bool) -> bool {
    function
        .grants()
        .iter()
        .any(|g| matches!(&g.value, Grant::Level { target, level: l, .. } if l.name == level && on(*target)))
}

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let users: Vec<(usize, &DatabaseUser)> = cx.stack.of::<DatabaseUser>().collect();
    let is_setup = |f: usize, db: usize| users.iter().any(|(_, u)| u.setup.index == f && u.database.index == db);
    // A setup function that cannot read the master password cannot create its users.
    for (_, u) in &users {
        if cx.judged(u.setup.index, "grants") && !holds(cx.stack.get(&u.setup), "admin", |t| t == u.database.index) {
            let (f, db) = (cx.stack.binding(u.setup.index), cx.stack.binding(u.database.index));
            out.push(Finding::new(
                RULE.id,
                u.setup.loc.clone(),
                format!("`{f}` sets up users of `{db}` but cannot read its master password"),
                format!("bind `{db}.master_secret` in `{f}`'s env and grant `{db}.admin`"),
            ));
        }
    }
    for (f, function) in cx.stack.of::<Function>() {
        let fname = cx.stack.node(f).binding.as_deref().unwrap_or("function");
        // The master password, to anything but a setup function of that database.
        for grant in function.grants() {
            let Grant::Level { target, name, level } = &grant.value else { continue };
            if level.name == "admin" && Database::from_index(cx.stack, *target).is_some() && !is_setup(f, *target) {
                out.push(Finding::new(
                    RULE.id,
                    grant.loc.clone(),
                    format!("`{fname}` would read the master password of `{name}`: only the `setup` function of its database users may"),
                    format!("remove `{name}.admin` and log in as a `DatabaseUser` of `{name}` (grant `user.connect`), or name `{fname}` as a user's `setup`"),
                ));
            }
        }
        // A use of a database by a function that can log in as none of its users.
        for u in cx.uses_of(f).filter(|_| cx.judged(f, "grants")) {
            let Via::Env(var) = &u.via else { continue };
            // A setup function logs in as the master; one already reported for reading the
            // master password is not reported twice.
            if Database::from_index(cx.stack, u.target).is_none()
                || is_setup(f, u.target)
                || holds(function, "admin", |t| t == u.target)
            {
                continue;
            }
            let logs_in = holds(function, "connect", |t| {
                DatabaseUser::from_index(cx.stack, t).is_some_and(|du| du.database.index == u.target)
            });
            if !logs_in {
                let db = cx.stack.binding(u.target);
                out.push(Finding::new(
                    RULE.id,
                    u.loc.clone(),
                    format!("`{fname}` uses database `{db}` (env {var}) but can log in as none of its users"),
                    format!("declare a `DatabaseUser` of `{db}`, bind its `name` in `{fname}`'s env and grant `user.connect`"),
                ));
            }
        }
    }
    out
}
