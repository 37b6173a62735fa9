//! The processor's database TLS against a real PostgreSQL with TLS on (scripts/services
//! gives the local server a certificate for `pg.tap.test` from a throwaway CA, whose
//! certificate is `TAP_PG_TLS_CA`). The connect path every tap function uses
//! (`tap::database::open` with `tls::client_config`) is used, with the host name the
//! certificate must carry and the loopback address to reach it.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tap::database::{self as db, tls};

async fn attempt(roots: rustls::RootCertStore, host: &str) -> Result<bool, String> {
    let vars = tap_integration_tests::services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    let mut cfg = tokio_postgres::Config::new();
    cfg.host(host)
        .hostaddr(IpAddr::V4(Ipv4Addr::LOCALHOST))
        .port(get("TAP_PG_PORT").parse().unwrap())
        .user(get("TAP_PG_USER"))
        .password(get("TAP_PG_PASSWORD"))
        .dbname("postgres")
        .connect_timeout(Duration::from_secs(5));
    let client = db::open(cfg, Some(tls::client_config(roots))).await.map_err(|e| e.to_string())?;
    let row = client
        .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .await
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

fn test_ca() -> rustls::RootCertStore {
    let vars = tap_integration_tests::services_env();
    let path =
        vars.get("TAP_PG_TLS_CA").expect("TAP_PG_TLS_CA is not set: start the services with `scripts/services start`");
    tls::roots_from_pem(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_server_with_a_certificate_for_its_name_from_a_trusted_ca_is_accepted() {
    assert_eq!(attempt(test_ca(), "pg.tap.test").await, Ok(true), "the session must be encrypted");
}

#[tokio::test]
async fn the_rds_authorities_refuse_a_server_they_did_not_certify() {
    // What the deployed processor trusts: the RDS bundle only. The local server's
    // certificate does not chain to it, so the connect fails before any credential is sent.
    let err = attempt(tls::rds_roots(), "pg.tap.test").await.expect_err("an unknown issuer must be refused");
    assert!(err.contains("invalid peer certificate: UnknownIssuer"), "{err}");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let err = attempt(test_ca(), "db.other.test").await.expect_err("a certificate for another name must be refused");
    assert!(err.contains("certificate not valid for name \"db.other.test\""), "{err}");
}
