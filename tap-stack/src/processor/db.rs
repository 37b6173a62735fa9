//! PostgreSQL: one connection per execution environment, reused across invocations and
//! re-opened when it breaks; TLS verified against the RDS certificate authorities unless
//! the server is on loopback. When the server refuses
//! the credentials (the secret was rotated), they are read again and the connection is
//! retried once with the new ones.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio_postgres::error::SqlState;
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
    fn set(&mut self, credentials: Credentials) {
        (self.user, self.password) = (credentials.username, credentials.password);
    }
}

/// A database failure, with what was being done and the server's SQLSTATE when it sent
/// one: the code decides what happens next (re-read the credentials, reject the record,
/// retry), so it is kept, not flattened into text.
#[derive(Debug)]
pub struct DbError {
    pub during: &'static str,
    pub code: Option<SqlState>,
    pub message: String,
}

impl DbError {
    pub fn new(during: &'static str, e: &tokio_postgres::Error) -> DbError {
        // tokio-postgres's Display says only "db error"; the server's message is the reason.
        // For other failures its Display stops at the outermost layer ("error performing
        // TLS handshake"); the causes (the certificate's problem) follow it.
        let message = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => {
                let mut text = e.to_string();
                let mut cause = std::error::Error::source(e);
                while let Some(c) = cause {
                    text.push_str(&format!(": {c}"));
                    cause = c.source();
                }
                text
            }
        };
        DbError { during, code: e.code().cloned(), message }
    }
    /// The server refused the credentials: 28P01 (invalid_password) or 28000
    /// (invalid_authorization_specification, e.g. the user no longer exists).
    pub fn is_auth(&self) -> bool {
        self.code.as_ref().is_some_and(|c| *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    }
    /// The record's data is wrong (classes 22 data exception, 23 integrity violation): no
    /// retry can apply it.
    pub fn is_data(&self) -> bool {
        self.code.as_ref().is_some_and(|c| matches!(&c.code()[..2], "22" | "23"))
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.during, self.message)?;
        match &self.code {
            Some(code) => write!(f, " (SQLSTATE {})", code.code()),
            None => Ok(()),
        }
    }
}

/// A user and password, as read from a bound secret (the database's, the cache's token).
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

impl Credentials {
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn password(&self) -> &str {
        &self.password
    }
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
    schema: &'static str,
    /// Where to connect (its credentials replaced after a rotation) and the open connection.
    state: Mutex<(Target, Option<Arc<Conn>>)>,
}

impl Db {
    /// Connects and applies the schema (once per cold start).
    pub async fn open<F: Future<Output = Result<Credentials, Error>>>(target: Target, schema: &'static str, refresh: impl Fn() -> F) -> Result<Db, Error> {
        let db = Db { schema, state: Mutex::new((target, None)) };
        db.conn(refresh).await?;
        Ok(db)
    }

    /// The open connection, or a new one if the last one broke. If the server refuses the
    /// credentials, `refresh` reads them again (the secret may have been rotated since the
    /// cold start) and the connection is tried once more.
    pub async fn conn<F: Future<Output = Result<Credentials, Error>>>(&self, refresh: impl Fn() -> F) -> Result<Arc<Conn>, Error> {
        let mut state = self.state.lock().await;
        if let Some(c) = state.1.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok(c.clone());
        }
        let conn = match connect(&state.0, self.schema).await {
            Err(Error::Db(e)) if e.is_auth() => {
                crate::processor::log(serde_json::json!({ "level": "warn", "event": "credentials refused, reading them again", "error": e.to_string() }));
                state.0.set(refresh().await?);
                connect(&state.0, self.schema).await?
            }
            other => other?,
        };
        let conn = Arc::new(conn);
        state.1 = Some(conn.clone());
        Ok(conn)
    }
}

async fn connect(t: &Target, schema: &str) -> Result<Conn, Error> {
    let tls = (!t.endpoint.is_loopback()).then(|| crate::processor::tls::client_config(crate::processor::tls::rds_roots()));
    let client = open(config(t), tls).await?;
    apply_schema(&client, schema).await?;
    let upsert = client.prepare(UPSERT).await.map_err(|e| Error::Db(DbError::new("prepare upsert", &e)))?;
    Ok(Conn { client, upsert })
}

/// The connection settings for `t`.
pub fn config(t: &Target) -> tokio_postgres::Config {
    let mut cfg = tokio_postgres::Config::new();
    cfg.host(t.endpoint.host())
        .port(t.endpoint.port())
        .dbname(&t.dbname)
        .user(&t.user)
        .password(&t.password)
        .application_name("inventory-processor")
        .connect_timeout(Duration::from_secs(5));
    cfg
}

/// Opens a session: in plaintext without `tls` (loopback only), else over TLS that
/// verifies the server's certificate with `tls` (`sslmode=verify-full`: TLS is required,
/// and a certificate that does not chain to its roots or name the host fails the connect).
pub async fn open(mut cfg: tokio_postgres::Config, tls: Option<rustls::ClientConfig>) -> Result<Client, Error> {
    let client = match tls {
        None => {
            let (client, connection) = cfg.connect(NoTls).await.map_err(|e| Error::Db(DbError::new("connect", &e)))?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
        Some(tls) => {
            cfg.ssl_mode(tokio_postgres::config::SslMode::Require);
            let (client, connection) =
                cfg.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls)).await.map_err(|e| Error::Db(DbError::new("connect", &e)))?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
    };
    Ok(client)
}

/// Applies the stack's declared schema under an advisory lock, so concurrent cold starts
/// do not race; the statements are idempotent (TAP-DATA-002 checks that at compile time).
pub async fn apply_schema(client: &Client, schema: &str) -> Result<(), Error> {
    let sql = format!("BEGIN; SELECT pg_advisory_xact_lock(hashtext('tap:product-catalog:schema')); {schema}\nCOMMIT;");
    client.batch_execute(&sql).await.map_err(|e| Error::Db(DbError::new("apply schema", &e)))
}
