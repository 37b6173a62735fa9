//! `DatabaseUser`: a login of a `Database` that a function uses instead of the master user.
//! The database's `setup` function creates it (with `rds_iam`, so it has no password) and
//! grants it `access` to the schema's tables, as a custom resource run on every deploy that
//! changes the user or the setup code; a function that holds `user.connect` logs in as it
//! with an IAM token, which `rds-db:connect` on exactly this user allows.
//!
//! ```ignore
//! let processor_login = resource!(DatabaseUser { database, user: "inventory_processor", access: ReadWrite, setup: db_setup });
//! // in the processor: env: { DB_USER: processor_login.name }, grants: [processor_login.connect]
//! ```

use super::database::Database;
use super::function::{code_key_param, Function};
use super::ingress::Ingress;
use super::prelude::*;

words! {
    /// What the user may do with the schema's tables (the `public` schema).
    pub enum Access { ReadWrite, ReadOnly }
}

props! {
    pub struct DatabaseUser {
        database: req Ref<Database>,
        /// The PostgreSQL role name: lowercase letters, digits and `_`, at most 63.
        user: req String,
        access: req Access,
        /// The function that creates the user and applies the schema, as the master user
        /// (the only function allowed `database.admin`).
        setup: req Ref<Function>,
    }
}

pub const SPEC: Spec = Spec {
    // `name` comes back from the custom resource once the user exists: a function that
    // binds it is created after its login.
    attrs: &[attr("name", AttrExpr::GetAtt("User"))],
    levels: &[LevelDef { name: "connect", actions: &["rds-db:connect"], arns: ArnShape::Arn, satisfies_env: true }],
    arn: Some(AttrExpr::Own),
    ..Spec::new("DatabaseUser", "database user", "A login of a database with `rds_iam`, created by the database's setup function; functions connect as it with IAM tokens.", <DatabaseUser as super::decode::Decode>::PROPS)
};

/// Role names PostgreSQL or RDS reserve.
fn reserved(user: &str) -> bool {
    user.starts_with("pg_") || user.starts_with("rds") || matches!(user, "postgres" | "public" | "admin" | "root")
}

impl Hooks for DatabaseUser {
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        let user = self.user.as_str();
        if !crate::sql::is_role_name(user) {
            out.push(Finding::dsl(Dsl::WrongType, self.user.loc.clone(), format!("{label}: `{user}` is not a PostgreSQL role name tap writes unquoted"), "use lowercase letters, digits and `_`, starting with a letter, at most 63: e.g. \"inventory_processor\"".to_owned()));
        } else if reserved(user) || Database::from_index(stack, self.database.index).is_some_and(|db| db.master_username() == user) {
            out.push(Finding::dsl(Dsl::WrongType, self.user.loc.clone(), format!("{label}: `{user}` is the master user or a name PostgreSQL/RDS reserves"), "name the user for what logs in as it: e.g. \"inventory_processor\"".to_owned()));
        }
    }

    /// `arn:…:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`: what `rds-db:connect`
    /// names (the instance's resource id, not its identifier).
    fn own_attr(&self, cx: &SynthCx<'_>, _attr: &AttrDef, _lid: &str) -> Json {
        let db = cx.lid_of(&self.database);
        json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:rds-db:${{AWS::Region}}:${{AWS::AccountId}}:dbuser:${{{db}.DbiResourceId}}/{}", self.user.as_str()) })
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let db = cx.lid_of(&self.database);
        let setup = cx.lid_of(&self.setup);
        let database = cx.stack.get(&self.database);
        let mut props = json!({
            "ServiceToken": get_att(&setup, "Arn"),
            "Endpoint": get_att(&db, "Endpoint.Address"),
            "Port": get_att(&db, "Endpoint.Port"),
            "DatabaseName": database.database_name.value,
            "User": self.user.as_str(),
            "Access": self.access.word(),
            // A user of a kept database is kept when the stack is deleted, like its data.
            "DropOnDelete": !cx.keeps(self.database.index),
        });
        // The setup code embeds the schema: a new build of it runs the setup again.
        if matches!(*cx.stack.get(&self.setup).code, Code::Bin(_) | Code::Dir(_)) {
            props["SetupCode"] = r#ref(&code_key_param(&setup));
        }
        cx.out.add(&l, "Custom::DatabaseUser", props);
        // The setup function's network paths (to the database, to the Secrets Manager
        // endpoint) outlive the user: a stack delete runs its Delete while they still exist.
        if let Some(sg) = &cx.stack.get(&self.setup).security_group {
            let mut paths = Vec::new();
            for (j, ingress) in cx.stack.of::<Ingress>() {
                if ingress.from.as_ref().is_some_and(|f| f.index == sg.index) {
                    paths.push(cx.lid(j).to_owned());
                    paths.push(format!("{}Egress", cx.lid(j)));
                }
            }
            let on: Vec<&str> = paths.iter().map(String::as_str).collect();
            cx.out.depends_on(&l, &on);
        }
    }
}
