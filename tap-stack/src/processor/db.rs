//! PostgreSQL: one connection per execution environment, reused across invocations and
//! re-opened when it breaks. The processor logs in as its own `DatabaseUser`
//! (`inventory_processor`, read-write on the schema's tables and nothing else) with an IAM
//! token minted for each connection, over TLS verified against the RDS authorities
//! (`tap::database`). The schema is the setup function's to apply, not the processor's.

use std::sync::Arc;

use tokio::sync::Mutex;
use tokio_postgres::{Client, Statement};

use tap::bindings::{Endpoint, FromStack};
use tap::database::{DbError, Login, Target};

use crate::processor::Error;

/// Applies a record only if it is newer than what is stored: duplicates and stale replays
/// change nothing. Sequence numbers are compared as NUMERIC, not as text.
pub const UPSERT: &str = "INSERT INTO products (product_id, inventory, last_sequence, last_shard, updated_at) \
     VALUES ($1, $2, ($3::text)::numeric, $4, now()) \
     ON CONFLICT (product_id) DO UPDATE SET inventory = EXCLUDED.inventory, \
       last_sequence = EXCLUDED.last_sequence, last_shard = EXCLUDED.last_shard, updated_at = now() \
     WHERE products.last_sequence < EXCLUDED.last_sequence";

/// The name sessions carry (`pg_stat_activity.application_name`).
pub const APPLICATION: &str = "inventory-processor";

/// Where to connect: the endpoint, database and user the stack binds. There is no way to
/// build one from literals.
pub fn target(endpoint: &Endpoint, dbname: &impl FromStack<String>, user: &impl FromStack<String>) -> Target {
    Target {
        host: endpoint.host().to_owned(),
        port: endpoint.port(),
        dbname: dbname.get().clone(),
        user: user.get().clone(),
    }
}

pub struct Conn {
    pub client: Client,
    pub upsert: Statement,
}

pub struct Db {
    target: Target,
    login: Login,
    /// The open connection, if any.
    state: Mutex<Option<Arc<Conn>>>,
}

impl Db {
    /// Connects (once per cold start), so a login that cannot work fails the cold start.
    pub async fn open(target: Target, login: Login) -> Result<Db, Error> {
        let db = Db { target, login, state: Mutex::new(None) };
        db.conn().await?;
        Ok(db)
    }

    /// The open connection, or a new one if the last one broke. A new connection logs in
    /// afresh: a new token, or the password read again (it may have been rotated); a
    /// refused login is produced again and tried once more (`tap::database::connect`).
    pub async fn conn(&self) -> Result<Arc<Conn>, Error> {
        let mut state = self.state.lock().await;
        if let Some(c) = state.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok(c.clone());
        }
        let client = tap::database::connect(&self.target, &self.login, APPLICATION).await.map_err(Error::Db)?;
        let upsert = client.prepare(UPSERT).await.map_err(|e| Error::Db(DbError::new("prepare upsert", &e)))?;
        let conn = Arc::new(Conn { client, upsert });
        *state = Some(conn.clone());
        Ok(conn)
    }
}
