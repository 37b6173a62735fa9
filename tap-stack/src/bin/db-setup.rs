//! The database setup function's Lambda `bootstrap`: the custom resource behind the
//! stack's `DatabaseUser`s. It applies the schema the stack declares and creates the
//! processor's login, as the master user (`tap::database::setup`).

use tap_stack::product_catalog::db_setup::{Env, DATABASE_SCHEMA};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let env = Env::from_env()?;
    tap::database::setup::run(DATABASE_SCHEMA, &env.db_master_secret_arn).await
}
