//! Redis: the cache the processor invalidates after each committed update. One managed
//! connection (it reconnects by itself); TLS (`rediss://`) unless on loopback; AUTH with
//! the token from the secret the stack binds (TAP-NET-004).

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use tap::bindings::Endpoint;

use crate::processor::Error;
use tap::database::Credentials;

#[derive(Clone)]
pub struct Cache {
    conn: ConnectionManager,
}

impl Cache {
    /// Connects as `auth.username` with the token `auth.password`.
    pub async fn open(endpoint: &Endpoint, auth: &Credentials) -> Result<Cache, Error> {
        let (host, port) = (endpoint.host(), endpoint.port());
        let scheme = if endpoint.is_loopback() { "redis" } else { "rediss" };
        let info = redis::IntoConnectionInfo::into_connection_info(format!("{scheme}://{host}:{port}"))
            .map_err(|e| Error::Cache(e.to_string()))?;
        let settings = info.redis_settings().clone().set_username(auth.username()).set_password(auth.password());
        let info = info.set_redis_settings(settings);
        let client = redis::Client::open(info).map_err(|e| Error::Cache(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| Error::Cache(format!("connect {scheme}://{host}:{port}: {e}")))?;
        Ok(Cache { conn })
    }

    pub async fn invalidate(&self, key: &str) -> Result<(), Error> {
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(key)
            .query_async::<i64>(&mut conn)
            .await
            .map(drop)
            .map_err(|e| Error::Cache(e.to_string()))
    }
}
