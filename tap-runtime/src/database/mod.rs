//! PostgreSQL on RDS as tap deploys it (feature `database`): what a function needs to log
//! in as its `DatabaseUser` and what the database's setup function runs.
//!
//! - [`tls`]: the server is verified (chain and host name) against the RDS authorities,
//!   shipped inside the function; plaintext only on loopback.
//! - [`token`]: the IAM authentication token a `user.connect` grant allows, minted from the
//!   function's own credentials for each new connection (valid 15 minutes, never stored).
//! - [`setup`]: the custom resource a `DatabaseUser` runs: the schema applied and the user
//!   created with `rds_iam`, as the master user, whose password RDS generates and rotates.
//!
//! Errors keep the server's SQLSTATE ([`DbError`]): the code decides what happens next
//! (log in again, reject the record, retry).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

pub mod setup;
pub mod tls;
pub mod token;

/// A database failure, with what was being done and the server's SQLSTATE when it sent
/// one: the code decides what happens next (re-read the credentials, reject the record,
/// retry), so it is kept, not flattened into text.
///
/// The message already carries the failure's causes (a TLS handshake's certificate
/// problem), because Lambda logs an error's `Display` alone; so the driver's error is not
/// also chained as a `source`, which would print each cause twice.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{during}: {message}{}", code.as_ref().map(|c| format!(" (SQLSTATE {})", c.code())).unwrap_or_default())]
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
    /// A failure that is not the server's (no SQLSTATE): reading credentials, a token.
    pub fn other(during: &'static str, message: impl Into<String>) -> DbError {
        DbError { during, code: None, message: message.into() }
    }
    /// The server refused the credentials: 28P01 (invalid_password, also an expired or
    /// unauthorised IAM token) or 28000 (invalid_authorization_specification, e.g. the user
    /// no longer exists).
    pub fn is_auth(&self) -> bool {
        self.code
            .as_ref()
            .is_some_and(|c| *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    }
    /// The record's data is wrong (classes 22 data exception, 23 integrity violation): no
    /// retry can apply it.
    pub fn is_data(&self) -> bool {
        self.code.as_ref().is_some_and(|c| matches!(&c.code()[..2], "22" | "23"))
    }
}

/// A user and password, as a `{username, password}` secret holds them (the master secret
/// RDS keeps, a cache's AUTH token).
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

impl Credentials {
    /// The credentials in a `GetSecretValue` answer for the secret `arn`; the error says
    /// what is wrong with it.
    pub fn from_secret_value(
        arn: &str,
        value: &aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueOutput,
    ) -> Result<Credentials, String> {
        let text = value.secret_string().ok_or_else(|| format!("{arn} has no SecretString"))?;
        serde_json::from_str(text).map_err(|e| format!("{arn} is not {{username, password}} JSON: {e}"))
    }
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials { username: username.into(), password: password.into() }
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn password(&self) -> &str {
        &self.password
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ username: {:?}, password: <redacted> }}", self.username)
    }
}

/// Where and as whom to connect.
#[derive(Clone, Debug)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
}

impl Target {
    /// Loopback is the one place a session may be plaintext (and the one place IAM tokens
    /// cannot be checked: only RDS verifies them).
    pub fn is_loopback(&self) -> bool {
        crate::bindings::is_loopback_host(&self.host)
    }
}

/// A password for one login, produced when a connection is opened.
pub type PasswordFuture = Pin<Box<dyn Future<Output = Result<String, DbError>> + Send>>;

/// How a function proves who it is to the database.
#[derive(Clone)]
pub enum Login {
    /// An IAM authentication token for the user, minted from the function's credentials for
    /// each connection: what a deployed function uses (`user.connect`).
    Iam(token::Signer),
    /// A password read when a connection is opened (again after the server refuses it): the
    /// master secret for the setup function, or a local PostgreSQL's password, which cannot
    /// check IAM tokens.
    Password(Arc<dyn Fn() -> PasswordFuture + Send + Sync>),
}

impl Login {
    /// A password login from an async reader (a secret, a test's current password).
    pub fn password<F, Fut>(read: F) -> Login
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, DbError>> + Send + 'static,
    {
        Login::Password(Arc::new(move || Box::pin(read())))
    }
    /// A password login from a reader of `{username, password}` credentials (a secret).
    pub fn from_credentials<F, Fut>(read: F) -> Login
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Credentials, DbError>> + Send + 'static,
    {
        Login::password(move || {
            let credentials = read();
            async move { credentials.await.map(|c| c.password) }
        })
    }
    /// The password for a new connection to `t`.
    pub async fn secret_for(&self, t: &Target) -> Result<String, DbError> {
        match self {
            Login::Iam(signer) => signer.token(&t.host, t.port, &t.user).await,
            Login::Password(read) => read().await,
        }
    }
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Login::Iam(_) => "Login::Iam",
            Login::Password(_) => "Login::Password",
        })
    }
}

/// The connection settings for `t` with `password`.
pub fn config(t: &Target, password: &str, application: &str) -> tokio_postgres::Config {
    let mut cfg = tokio_postgres::Config::new();
    cfg.host(&t.host)
        .port(t.port)
        .dbname(&t.dbname)
        .user(&t.user)
        .password(password)
        .application_name(application)
        .connect_timeout(Duration::from_secs(5));
    cfg
}

/// Opens a session: in plaintext without `tls` (loopback only), else over TLS that
/// verifies the server's certificate with `tls` (`sslmode=verify-full`: TLS is required,
/// and a certificate that does not chain to its roots or name the host fails the connect).
pub async fn open(mut cfg: tokio_postgres::Config, tls: Option<rustls::ClientConfig>) -> Result<Client, DbError> {
    let client = match tls {
        None => {
            let (client, connection) = cfg.connect(NoTls).await.map_err(|e| DbError::new("connect", &e))?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
        Some(tls) => {
            cfg.ssl_mode(tokio_postgres::config::SslMode::Require);
            let (client, connection) = cfg
                .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
                .await
                .map_err(|e| DbError::new("connect", &e))?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
    };
    Ok(client)
}

/// Logs in to `t` as `login` says, over TLS verified against the RDS authorities unless
/// `t` is on loopback. If the server refuses the credentials, they are produced again (a
/// secret read anew after a rotation, a token minted anew) and the login is tried once more.
pub async fn connect(t: &Target, login: &Login, application: &str) -> Result<Client, DbError> {
    let tls = (!t.is_loopback()).then(|| tls::client_config(tls::rds_roots()));
    let first = open(config(t, &login.secret_for(t).await?, application), tls.clone()).await;
    match first {
        Err(e) if e.is_auth() => {
            log_line(
                &serde_json::json!({ "level": "warn", "event": "credentials refused, producing them again", "error": e.to_string() }),
            );
            open(config(t, &login.secret_for(t).await?, application), tls).await
        }
        other => other,
    }
}

/// One structured log line (JSON, as a function's LogFormat expects).
pub(crate) fn log_line(line: &serde_json::Value) {
    println!("{line}");
}
