//! PostgreSQL: one connection per execution environment, reused across invocations and
//! re-opened when it breaks; TLS unless the server is on loopback.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls, Statement};

use tap::bindings::{Endpoint, FromStack};

use crate::processor::Error;

/// Where and as whom to connect: the endpoint and database name the stack binds, the
/// credentials from the secret it binds. There is no way to build one from literals.
#[derive(Clone)]
pub struct Target {
    endpoint: Endpoint,
    dbname: String,
    user: String,
    password: String,
}

impl Target {
    pub fn new(endpoint: Endpoint, dbname: &impl FromStack<String>, credentials: Credentials) -> Target {
        Target { endpoint, dbname: dbname.get().clone(), user: credentials.username, password: credentials.password }
    }
}

/// The database user and password, as read from the bound secret.
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "postgres://{}@{}:{}/{}", self.user, self.endpoint.host(), self.endpoint.port(), self.dbname)
    }
}

/// Applies a record only if it is newer than what is stored: duplicates and stale replays
/// change nothing. Sequence numbers are compared as NUMERIC, not as text.
pub const UPSERT: &str = "INSERT INTO products (product_id, inventory, last_sequence, last_shard, updated_at) \
     VALUES ($1, $2, ($3::text)::numeric, $4, now()) \
     ON CONFLICT (product_id) DO UPDATE SET inventory = EXCLUDED.inventory, \
       last_sequence = EXCLUDED.last_sequence, last_shard = EXCLUDED.last_shard, updated_at = now() \
     WHERE products.last_sequence < EXCLUDED.last_sequence";

pub struct Conn {
    pub client: Client,
    pub upsert: Statement,
}

pub struct Db {
    target: Target,
    schema: &'static str,
    conn: Mutex<Option<Arc<Conn>>>,
}

impl Db {
    /// Connects and applies the schema (once per cold start).
    pub async fn open(target: Target, schema: &'static str) -> Result<Db, Error> {
        let db = Db { target, schema, conn: Mutex::new(None) };
        db.conn().await?;
        Ok(db)
    }

    /// The open connection, or a new one if the last one broke.
    pub async fn conn(&self) -> Result<Arc<Conn>, Error> {
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok(c.clone());
        }
        let conn = Arc::new(connect(&self.target, self.schema).await?);
        *slot = Some(conn.clone());
        Ok(conn)
    }
}

async fn connect(t: &Target, schema: &str) -> Result<Conn, Error> {
    let mut cfg = tokio_postgres::Config::new();
    cfg.host(t.endpoint.host())
        .port(t.endpoint.port())
        .dbname(&t.dbname)
        .user(&t.user)
        .password(&t.password)
        .application_name("inventory-processor")
        .connect_timeout(Duration::from_secs(5));
    let client = if t.endpoint.is_loopback() {
        let (client, connection) = cfg.connect(NoTls).await.map_err(|e| Error::Db(format!("connect {t:?}: {e}")))?;
        tokio::spawn(async move { drop(connection.await) });
        client
    } else {
        cfg.ssl_mode(tokio_postgres::config::SslMode::Require);
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(crate::processor::tls::client_config());
        let (client, connection) = cfg.connect(tls).await.map_err(|e| Error::Db(format!("connect {t:?}: {e}")))?;
        tokio::spawn(async move { drop(connection.await) });
        client
    };
    apply_schema(&client, schema).await?;
    let upsert = client.prepare(UPSERT).await.map_err(|e| Error::Db(format!("prepare upsert: {e}")))?;
    Ok(Conn { client, upsert })
}

/// Applies the stack's declared schema under an advisory lock, so concurrent cold starts
/// do not race; the statements are idempotent (TAP-DATA-002 checks that at compile time).
pub async fn apply_schema(client: &Client, schema: &str) -> Result<(), Error> {
    let sql = format!("BEGIN; SELECT pg_advisory_xact_lock(hashtext('tap:product-catalog:schema')); {schema}\nCOMMIT;");
    client.batch_execute(&sql).await.map_err(|e| Error::Db(format!("apply schema: {e}")))
}
