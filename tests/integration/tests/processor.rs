//! The inventory processor against real PostgreSQL and Redis and the moto server (S3, SQS,
//! Secrets Manager, Kinesis), all on loopback, started by `scripts/services start` (which
//! `scripts/test` runs). Without them these tests fail; they never skip.
//!
//! Tests run one at a time: some stop PostgreSQL or Redis under the processor.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::time::Duration;

use base64::Engine;
use tap::runtime::{WireEvent, WireKinesis, WireRecord};
use tap_stack::processor::local::{self, LocalServices};
use tap_stack::processor::update::InventoryUpdate;
use tap_stack::processor::{Clients, Processor};
use tap_stack::product_catalog::processor::{Env, Handles};

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Services {
    local: LocalServices,
    endpoint: String,
    script: String,
}

fn services() -> Services {
    let vars = tap_integration_tests::services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    Services {
        local: LocalServices::from_lookup(&|k| vars.get(k).cloned()).unwrap_or_else(|e| panic!("{e}")),
        endpoint: get("TAP_AWS_ENDPOINT"),
        script: get("TAP_SERVICES"),
    }
}

fn service(s: &Services, action: &str) {
    let status = std::process::Command::new(&s.script).arg(action).status().unwrap();
    assert!(status.success(), "scripts/services {action} failed");
}

async fn aws(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

struct Fixture {
    svc: Services,
    login: tap::database::Login,
    vars: HashMap<&'static str, String>,
    env: Env,
    clients: Clients,
    config: aws_config::SdkConfig,
    db: tokio_postgres::Client,
    redis: redis::aio::MultiplexedConnection,
}

async fn pg(svc: &Services, db: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(svc.local.pg_port)
        .user(&svc.local.pg_user)
        .password(&svc.local.pg_password)
        .dbname(db)
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// A fresh database, secret, bucket and queue for one test.
async fn fixture(name: &str) -> Fixture {
    let svc = services();
    let admin = pg(&svc, "postgres").await;
    let dbname = format!("t_{}", name.replace('-', "_"));
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {dbname}")).await.unwrap();
    let config = aws(&svc.endpoint).await;
    let clients = Clients::new(&config);
    let vars: HashMap<&'static str, String> =
        local::provision(&clients, name, &dbname, &svc.local).await.unwrap().into_iter().collect();
    // The emulator keeps state between runs: start from an empty archive.
    let bucket = &vars["ARCHIVE_BUCKET"];
    let old = clients.s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    for obj in old.contents() {
        clients.s3.delete_object().bucket(bucket).key(obj.key().unwrap()).send().await.unwrap();
    }
    let env = Env::from_lookup(&|k| vars.get(k).cloned()).unwrap();
    // Drain anything a previous run left in the quarantine queue.
    let _ = clients.sqs.purge_queue().queue_url(env.quarantine_queue_url.as_str()).send().await;
    let db = pg(&svc, &dbname).await;
    let redis =
        redis::Client::open(format!("redis://:{}@127.0.0.1:{}", svc.local.redis_password, svc.local.redis_port))
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
    // PostgreSQL on loopback cannot check IAM tokens: the processor logs in as its user
    // with the password local setup gave it.
    let login = local::login(&clients, &vars[local::LOCAL_LOGIN_SECRET]);
    Fixture { svc, login, vars, env, clients, config, db, redis }
}

impl Fixture {
    async fn start(&self, env: Env) -> Result<Processor, tap_stack::processor::Error> {
        Processor::start_with(env, &self.config, self.login.clone()).await
    }
    async fn processor(&self) -> Processor {
        let p = self.start(self.env.clone()).await.unwrap_or_else(|e| panic!("cold start: {e}"));
        // Test-only audit: one row per change the database actually made, so "applied
        // exactly once" is checked on the database, not on the processor's own counters.
        self.db
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS applied (product_id text, seq numeric);
                 CREATE OR REPLACE FUNCTION audit() RETURNS trigger AS $$
                 BEGIN INSERT INTO applied VALUES (NEW.product_id, NEW.last_sequence); RETURN NEW; END $$ LANGUAGE plpgsql;
                 CREATE OR REPLACE TRIGGER audit AFTER INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION audit();",
            )
            .await
            .unwrap();
        p
    }
    /// (changes the database made, distinct (product, sequence) pairs among them).
    async fn applications(&self) -> (i64, i64) {
        let row =
            self.db.query_one("SELECT count(*), count(DISTINCT (product_id, seq)) FROM applied", &[]).await.unwrap();
        (row.get(0), row.get(1))
    }
    async fn rows(&self) -> BTreeMap<String, (i64, String)> {
        self.db
            .query("SELECT product_id, inventory, last_sequence::text FROM products", &[])
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect()
    }
    async fn set_cache(&mut self, ids: &[&str]) {
        for id in ids {
            redis::cmd("SET")
                .arg(format!("product:{id}"))
                .arg("cached")
                .query_async::<()>(&mut self.redis)
                .await
                .unwrap();
        }
    }
    async fn cached(&mut self, id: &str) -> bool {
        redis::cmd("EXISTS").arg(format!("product:{id}")).query_async::<i64>(&mut self.redis).await.unwrap() == 1
    }
    /// Every archived line, across all archive objects.
    async fn archived(&self) -> Vec<serde_json::Value> {
        let list = self.clients.s3.list_objects_v2().bucket(self.env.archive_bucket.as_str()).send().await.unwrap();
        let mut lines = Vec::new();
        for obj in list.contents() {
            let body = self
                .clients
                .s3
                .get_object()
                .bucket(self.env.archive_bucket.as_str())
                .key(obj.key().unwrap())
                .send()
                .await
                .unwrap();
            let bytes = body.body.collect().await.unwrap().into_bytes();
            lines.extend(String::from_utf8(bytes.to_vec()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()));
        }
        lines
    }
    async fn quarantined(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        loop {
            let got = self
                .clients
                .sqs
                .receive_message()
                .queue_url(self.env.quarantine_queue_url.as_str())
                .max_number_of_messages(10)
                .send()
                .await
                .unwrap();
            if got.messages().is_empty() {
                return out;
            }
            for m in got.messages() {
                out.push(serde_json::from_str(m.body().unwrap()).unwrap());
                self.clients
                    .sqs
                    .delete_message()
                    .queue_url(self.env.quarantine_queue_url.as_str())
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
    }
}

/// Realistic Kinesis sequence numbers: 56 digits, compared numerically.
fn seq(n: u64) -> String {
    format!("4959033827149025660855969253836157109592157598913658{n:04}")
}

fn record(shard: &str, sequence: &str, data: &str) -> WireRecord {
    WireRecord {
        event_id: format!("{shard}:{sequence}"),
        event_source_arn: None,
        kinesis: WireKinesis {
            sequence_number: sequence.to_owned(),
            partition_key: "pk".into(),
            data: data.to_owned(),
            approximate_arrival_timestamp: Some(1.7e9),
        },
    }
}

fn update(shard: &str, n: u64, id: &str, inventory: i64) -> WireRecord {
    let json = serde_json::json!({ "product_id": id, "inventory": inventory }).to_string();
    record(shard, &seq(n), &base64::engine::general_purpose::STANDARD.encode(json))
}

fn batch(records: Vec<WireRecord>) -> WireEvent {
    WireEvent { records }
}

async fn lock() -> tokio::sync::MutexGuard<'static, ()> {
    SERIAL.lock().await
}

#[tokio::test]
async fn happy_path_updates_db_invalidates_cache_and_archives() {
    let _g = lock().await;
    let mut f = fixture("happy").await;
    f.set_cache(&["sku-1", "sku-2", "sku-3"]).await;
    let p = f.processor().await;
    let report = p
        .process(&batch(vec![
            update("shardId-0", 1, "sku-1", 10),
            update("shardId-0", 2, "sku-2", 20),
            update("shardId-0", 3, "sku-3", 0),
        ]))
        .await;
    assert_eq!((report.applied, report.quarantined, report.retry_from.clone()), (3, 0, None), "{report:?}");
    let rows = f.rows().await;
    assert_eq!(rows["sku-1"], (10, seq(1)));
    assert_eq!(rows["sku-3"], (0, seq(3)));
    for id in ["sku-1", "sku-2", "sku-3"] {
        assert!(!f.cached(id).await, "{id} still cached");
    }
    let archived = f.archived().await;
    assert_eq!(archived.len(), 3);
    assert_eq!(archived[0]["kinesis"]["sequenceNumber"], seq(1));
    let keys = f.clients.s3.list_objects_v2().bucket(f.env.archive_bucket.as_str()).send().await.unwrap();
    assert_eq!(keys.contents()[0].key().unwrap(), format!("inventory/shardId-0/{}-{}.jsonl", seq(1), seq(3)));
    assert!(f.quarantined().await.is_empty());
    assert_eq!(report.response().batch_item_failures.len(), 0);
}

/// A password rotation under a running pipeline, as AWS's rotation runs it: the database's
/// password changes first and the secret follows. In between, a reconnect is refused
/// (SQLSTATE 28P01, kept in the error) and the batch is handed back for redelivery; once
/// the secret has the new password, the processor reads it again on the refusal and every
/// record lands. (Deployed, the processor's user has no password: each connection logs in
/// with a new IAM token, and a refused one is minted again the same way. The master's
/// password, which RDS rotates, is read by the setup function at each login.) The processor
/// logs in as its own least-privilege user, never as the superuser.
#[tokio::test]
async fn a_password_rotated_under_the_running_pipeline_loses_nothing() {
    let _g = lock().await;
    let f = fixture("rotation").await;
    let admin = pg(&f.svc, "postgres").await;
    let role = local::DB_USER;
    let set_secret = |password: &'static str| {
        let (secrets, arn) = (f.clients.secrets.clone(), f.vars[local::LOCAL_LOGIN_SECRET].clone());
        async move {
            let body = serde_json::json!({ "username": role, "password": password }).to_string();
            secrets.put_secret_value().secret_id(arn).secret_string(body).send().await.unwrap();
        }
    };
    admin.batch_execute(&format!("ALTER ROLE {role} PASSWORD 'first-password'")).await.unwrap();
    set_secret("first-password").await;
    let p = f.start(f.env.clone()).await.unwrap_or_else(|e| panic!("cold start: {e}"));
    let updates = |round: u64| {
        batch(
            (0..20)
                .map(|i| update("shardId-0", round * 100 + i, &format!("sku-{round}-{i}"), (round * 100 + i) as i64))
                .collect(),
        )
    };
    let first = p.process(&updates(1)).await;
    assert_eq!((first.applied, first.retry_from.clone()), (20, None), "{first:?}");

    // setSecret: the database has the new password; the secret still has the old one. The
    // processor's connection is cut (a new execution environment, a failover).
    admin.batch_execute(&format!("ALTER ROLE {role} PASSWORD 'second-password'")).await.unwrap();
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", &[&role]).await.unwrap();
    let mut refused = p.process(&updates(2)).await;
    for _ in 0..3 {
        // The first attempt may only find the connection cut; the next one reconnects.
        if refused.error.as_deref().is_some_and(|e| e.contains("28P01")) {
            break;
        }
        refused = p.process(&updates(2)).await;
    }
    assert_eq!(refused.applied, 0, "{refused:?}");
    assert!(refused.retry_from.is_some(), "a refused login must hand the batch back: {refused:?}");
    assert!(
        refused.error.as_deref().is_some_and(|e| e.contains("SQLSTATE 28P01")),
        "the error keeps the SQLSTATE: {refused:?}"
    );

    // finishSecret: the secret has the new password. The redelivered batch lands: the
    // processor reads the secret again when the old password is refused.
    set_secret("second-password").await;
    let second = p.process(&updates(2)).await;
    assert_eq!((second.applied, second.retry_from.clone()), (20, None), "{second:?}");
    let rows = f.rows().await;
    assert_eq!(rows.len(), 40, "records lost across the rotation");
    for round in [1u64, 2] {
        for i in 0..20 {
            assert_eq!(rows[&format!("sku-{round}-{i}")], ((round * 100 + i) as i64, seq(round * 100 + i)));
        }
    }
    let who: Vec<String> = admin
        .query("SELECT usename::text FROM pg_stat_activity WHERE datname = 't_rotation' AND application_name = 'inventory-processor'", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(who, [role], "the processor logs in as its own user");
}

#[tokio::test]
async fn duplicates_change_nothing() {
    let _g = lock().await;
    let f = fixture("dupes").await;
    let p = f.processor().await;
    let event = batch(vec![
        update("shardId-0", 1, "sku-1", 10),
        update("shardId-0", 2, "sku-2", 20),
        update("shardId-0", 2, "sku-2", 20),
    ]);
    p.process(&event).await;
    let after_first = f.rows().await;
    let report = p.process(&event).await;
    assert_eq!(report.retry_from, None);
    assert_eq!(f.rows().await, after_first);
    // Two distinct updates changed a row, once each; the duplicate and the replay did not.
    assert_eq!(p.counters.rows_changed.load(Ordering::Relaxed), 2);
    assert_eq!(f.applications().await, (2, 2));
}

#[tokio::test]
async fn out_of_order_and_stale_records_do_not_overwrite_newer_ones() {
    let _g = lock().await;
    let f = fixture("order").await;
    let p = f.processor().await;
    // Sequence numbers of different lengths: compared as text, "99" > "100".
    p.process(&batch(vec![record(
        "shardId-0",
        "100",
        &base64::engine::general_purpose::STANDARD.encode(r#"{"product_id":"sku-1","inventory":5}"#),
    )]))
    .await;
    p.process(&batch(vec![record(
        "shardId-0",
        "99",
        &base64::engine::general_purpose::STANDARD.encode(r#"{"product_id":"sku-1","inventory":1}"#),
    )]))
    .await;
    p.process(&batch(vec![update("shardId-0", 9, "sku-2", 9), update("shardId-0", 7, "sku-2", 7)])).await;
    let rows = f.rows().await;
    assert_eq!(rows["sku-1"], (5, "100".to_owned()));
    assert_eq!(rows["sku-2"], (9, seq(9)));
}

#[tokio::test]
async fn malformed_records_are_quarantined_with_their_reason() {
    let _g = lock().await;
    let f = fixture("quarantine").await;
    let p = f.processor().await;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let report = p
        .process(&batch(vec![
            update("shardId-0", 1, "sku-1", 1),
            record("shardId-0", &seq(2), "%%% not base64 %%%"),
            record("shardId-0", &seq(3), &b64("{not json")),
            record("shardId-0", &seq(4), &b64(r#"{"product_id":"sku-4","inventory":-3}"#)),
            record("shardId-0", &seq(5), &b64(r#"{"product_id":"sku-5","inventory":5,"price":9}"#)),
            update("shardId-0", 6, "sku-6", 6),
        ]))
        .await;
    assert_eq!((report.applied, report.quarantined, report.retry_from.clone()), (2, 4, None), "{report:?}");
    assert_eq!(f.rows().await.keys().cloned().collect::<Vec<_>>(), vec!["sku-1", "sku-6"]);
    let mut q = f.quarantined().await;
    q.sort_by_key(|m| m["sequence_number"].as_str().unwrap().to_owned());
    let reasons: Vec<&str> = q.iter().map(|m| m["reason"].as_str().unwrap()).collect();
    assert_eq!(q.len(), 4, "{q:?}");
    assert!(reasons[0].starts_with("data is not base64"), "{reasons:?}");
    assert!(reasons[1].starts_with("data is not a valid record"), "{reasons:?}");
    assert!(reasons[2].contains("inventory must be >= 0"), "{reasons:?}");
    assert!(reasons[3].contains("unknown field `price`"), "{reasons:?}");
    assert_eq!(q[0]["data"], "%%% not base64 %%%", "the payload is kept as received");
    // Nothing is lost: every record, good or bad, is in the archive.
    assert_eq!(f.archived().await.len(), 6);
}

#[tokio::test]
async fn postgres_stopped_mid_batch_is_retried_and_each_record_applied_once() {
    let _g = lock().await;
    let f = fixture("pgstop").await;
    let p = f.processor().await;
    let n = 10_000;
    let records: Vec<WireRecord> = (0..n).map(|i| update("shardId-0", i, &format!("sku-{i}"), i as i64)).collect();
    let event = batch(records.clone());
    // The database stops from inside the batch, deterministically: the record that enters
    // the handler `STOP_AT`-th stops it before it runs, and every record after it waits
    // for the stop (the records already in flight run as they would). The same handler and
    // sink as `Processor::process`, with that gate in front.
    const STOP_AT: u64 = 2_000;
    let entered = std::sync::atomic::AtomicU64::new(0);
    let (stopped_tx, stopped_rx) = tokio::sync::watch::channel(false);
    let script = f.svc.script.clone();
    let (p_ref, entered, stopped_tx, stopped_rx, script) = (&p, &entered, &stopped_tx, &stopped_rx, &script);
    let gated = move |r: tap::runtime::Record<InventoryUpdate>| async move {
        let nth = entered.fetch_add(1, Ordering::SeqCst) + 1;
        if nth == STOP_AT {
            let script = script.clone();
            let status =
                tokio::task::spawn_blocking(move || std::process::Command::new(script).arg("pg-stop").status())
                    .await
                    .unwrap()
                    .unwrap();
            assert!(status.success(), "pg-stop failed");
            stopped_tx.send_replace(true);
        } else if nth > STOP_AT {
            stopped_rx.clone().wait_for(|stopped| *stopped).await.unwrap();
        }
        p_ref.handle(r).await
    };
    let first = tap::runtime::process(&event, &gated, &p, tap_stack::processor::CONCURRENCY).await;
    assert!(*stopped_rx.borrow(), "the batch reached record {STOP_AT}");
    let from = first.retry_from.clone().expect("stopping the database fails the batch");
    let k = records.iter().position(|r| r.kinesis.sequence_number == from).unwrap();
    eprintln!("database stopped at record {k} of {n}");
    assert_eq!(first.response().batch_item_failures[0].item_identifier.as_deref(), Some(from.as_str()));
    service(&f.svc, "pg-start");
    // Lambda resumes at the reported record, so every record before it must already be
    // committed: reporting a later record than the first unapplied one would lose records.
    // (Records after it may have committed too, from the in-flight window; the retry
    // applies those again as no-ops.)
    let before = pg(&f.svc, f.env.db_name.as_str())
        .await
        .query_one("SELECT count(*) FROM products WHERE inventory < $1", &[&(k as i64)])
        .await
        .unwrap();
    assert_eq!(before.get::<_, i64>(0), k as i64, "records before the reported one {k} are all committed");
    // Lambda retries from the reported record.
    let second = p.process(&batch(records[k..].to_vec())).await;
    assert_eq!(second.retry_from, None, "{second:?}");
    let rows = pg(&f.svc, f.env.db_name.as_str())
        .await
        .query("SELECT count(*), sum(inventory) FROM products", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), n as i64);
    assert_eq!(rows[0].get::<_, rust_decimal_free::Sum>(1).0, (0..n as i64).sum::<i64>());
    // The counter is what the processor saw, not what the database did: an upsert whose
    // commit the server acknowledged as the connection dropped changed its row, but the
    // processor saw an error, and its retry changes nothing. So it may fall short by the
    // records in flight when the database stopped, and never exceeds n (a replay that
    // changed a row again would). The audit table below is the exact count.
    let seen = p.counters.rows_changed.load(Ordering::Relaxed);
    let in_flight = tap_stack::processor::CONCURRENCY as u64;
    assert!(
        seen <= n && seen + in_flight >= n,
        "{seen} rows changed as seen by the processor, for {n} records (stopped after record {k})"
    );
    let audit = pg(&f.svc, f.env.db_name.as_str())
        .await
        .query_one("SELECT count(*), count(DISTINCT (product_id, seq)) FROM applied", &[])
        .await
        .unwrap();
    assert_eq!(
        (audit.get::<_, i64>(0), audit.get::<_, i64>(1)),
        (n as i64, n as i64),
        "the database changed each row exactly once"
    );
    let archived = f.archived().await;
    assert_eq!(archived.len(), n as usize, "each record archived once");
}

/// `sum(bigint)` is NUMERIC in PostgreSQL; decoded here from its binary form, integers only.
mod rust_decimal_free {
    pub struct Sum(pub i64);

    /// NUMERIC binary: ndigits, weight, sign, dscale (i16 each), then base-10000 digits;
    /// the value is the sum of digit[d] * 10000^(weight - d), negated when sign is 0x4000.
    pub fn decode(raw: &[u8]) -> Result<i64, String> {
        let w = |i: usize| raw.get(i..i + 2).map(|b| i16::from_be_bytes([b[0], b[1]])).ok_or("truncated NUMERIC");
        let (ndigits, weight, sign) = (w(0)? as usize, i32::from(w(2)?), w(4)? as u16);
        let mut v: i64 = 0;
        for d in 0..ndigits {
            let exp = u32::try_from(weight - d as i32).map_err(|_| "NUMERIC has a fractional part")?;
            let digit = i64::from(w(8 + 2 * d)?);
            v = 10_000i64
                .checked_pow(exp)
                .and_then(|p| p.checked_mul(digit))
                .and_then(|x| v.checked_add(x))
                .ok_or("NUMERIC overflows i64")?;
        }
        match sign {
            0x0000 => Ok(v),
            0x4000 => Ok(-v),
            other => Err(format!("NUMERIC sign {other:#06x} (NaN or infinity) is not an integer")),
        }
    }

    impl<'a> tokio_postgres::types::FromSql<'a> for Sum {
        fn from_sql(
            _: &tokio_postgres::types::Type,
            raw: &'a [u8],
        ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Sum(decode(raw)?))
        }
        fn accepts(ty: &tokio_postgres::types::Type) -> bool {
            *ty == tokio_postgres::types::Type::NUMERIC
        }
    }

    #[test]
    fn decodes_sign_and_weight() {
        // 1 2345 6789 = 123456789: three digits, weight 2.
        let positive = [0, 3, 0, 2, 0, 0, 0, 0, 0, 1, 0x09, 0x29, 0x1a, 0x85];
        assert_eq!(decode(&positive), Ok(123_456_789));
        let mut negative = positive;
        negative[4] = 0x40;
        assert_eq!(decode(&negative), Ok(-123_456_789));
        let nan = [0, 0, 0, 0, 0xc0, 0, 0, 0];
        assert!(decode(&nan).is_err());
        // 0.5: weight -1, a fractional digit.
        assert!(decode(&[0, 1, 0xff, 0xff, 0, 0, 0, 1, 0x13, 0x88]).is_err());
    }
}

#[tokio::test]
async fn redis_down_fails_the_batch_and_the_retry_invalidates() {
    let _g = lock().await;
    let mut f = fixture("redisdown").await;
    let p = f.processor().await;
    let event = batch(vec![update("shardId-0", 1, "sku-1", 1), update("shardId-0", 2, "sku-2", 2)]);
    service(&f.svc, "redis-stop");
    let first = p.process(&event).await;
    service(&f.svc, "redis-start");
    assert_eq!(first.retry_from, Some(seq(1)), "{first:?}");
    assert!(f.archived().await.is_empty(), "nothing is archived for a failed run");
    f.redis =
        redis::Client::open(format!("redis://:{}@127.0.0.1:{}", f.svc.local.redis_password, f.svc.local.redis_port))
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
    f.set_cache(&["sku-1", "sku-2"]).await;
    let second = p.process(&event).await;
    assert_eq!(second.retry_from, None, "{second:?}");
    assert!(!f.cached("sku-1").await && !f.cached("sku-2").await);
    assert_eq!(p.counters.rows_changed.load(Ordering::Relaxed), 2);
    assert_eq!(f.applications().await, (2, 2), "each record applied exactly once");
    assert_eq!(f.archived().await.len(), 2);
}

#[tokio::test]
async fn s3_down_fails_the_batch_and_the_retry_archives_once() {
    let _g = lock().await;
    let f = fixture("s3down").await;
    let healthy = f.processor().await;
    let dead = aws("http://127.0.0.1:9").await;
    // Every handle healthy but the archive bucket's, whose endpoint refuses connections.
    let mut broken = Handles::new(&f.env, &f.config);
    let dead = dead.into_builder().retry_config(aws_config::retry::RetryConfig::disabled()).build();
    broken.archive_bucket = Handles::new(&f.env, &dead).archive_bucket;
    let p = Processor::open(f.env.clone(), broken, f.login.clone()).await.unwrap();
    let event = batch(vec![update("shardId-0", 1, "sku-1", 1), update("shardId-0", 2, "sku-2", 2)]);
    let first = p.process(&event).await;
    assert_eq!(first.retry_from, Some(seq(1)), "{first:?}");
    assert!(first.error.unwrap().contains("archive failed"));
    let second = healthy.process(&event).await;
    assert_eq!(second.retry_from, None);
    assert_eq!(healthy.counters.rows_changed.load(Ordering::Relaxed), 0, "the first attempt already applied them");
    assert_eq!(f.applications().await, (2, 2), "each record applied exactly once");
    assert_eq!(f.archived().await.len(), 2);
    assert_eq!(f.rows().await.len(), 2);
}

#[tokio::test]
async fn a_missing_cache_token_fails_the_cold_start_naming_it() {
    let _g = lock().await;
    let f = fixture("nosecret").await;
    let mut vars = f.vars.clone();
    vars.insert("REDIS_AUTH_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist".into());
    let env = Env::from_lookup(&|k| vars.get(k).cloned()).unwrap();
    let err = f.start(env).await.err().expect("cold start must fail");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "cache token secret: cannot read arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist"
        ),
        "{text}"
    );
    // The cold start stopped before logging in to the database.
    let sessions =
        f.db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'inventory-processor'", &[]).await.unwrap();
    assert!(sessions.is_empty());
}

#[test]
fn a_missing_variable_is_named_with_its_binding() {
    let vars = HashMap::from([("DB_USER", "x"), ("DB_ENDPOINT", "h"), ("DB_NAME", "d")]);
    let err = Env::from_lookup(&|k| vars.get(k).map(|v| v.to_string())).unwrap_err();
    assert_eq!(err.to_string(), "environment variable DB_PORT (bound to `database.port` by the stack) is not set");
    let vars = HashMap::from([("DB_USER", "x"), ("DB_ENDPOINT", "h"), ("DB_PORT", "fifty"), ("DB_NAME", "d")]);
    let err = Env::from_lookup(&|k| vars.get(k).map(|v| v.to_string())).unwrap_err();
    assert!(err
        .to_string()
        .contains("DB_PORT (bound to `database.port` by the stack) has the malformed value \"fifty\""));
}

#[tokio::test]
async fn local_pipeline_moves_stream_records_into_every_store() {
    let _g = lock().await;
    let f = fixture("pipeline").await;
    let p = f.processor().await;
    let config = aws(&f.svc.endpoint).await;
    let kinesis = aws_sdk_kinesis::Client::new(&config);
    let stream = format!("pipeline-{}", std::process::id());
    kinesis.create_stream().stream_name(&stream).shard_count(2).send().await.unwrap();
    for i in 0..250u32 {
        let data = if i % 50 == 7 {
            "not json".to_owned()
        } else {
            serde_json::json!({ "product_id": format!("sku-{}", i % 40), "inventory": i }).to_string()
        };
        kinesis
            .put_record()
            .stream_name(&stream)
            .partition_key(format!("sku-{}", i % 40))
            .data(aws_sdk_kinesis::primitives::Blob::new(data))
            .send()
            .await
            .unwrap();
    }
    let opts = local::Options {
        stream,
        batch_size: 100,
        max_retries: 3,
        failure_queue_url: None,
        idle_polls: 2,
        poll_interval: Duration::from_millis(50),
    };
    let stats = local::run(&p, &kinesis, &f.clients.sqs, &opts).await.unwrap();
    assert_eq!((stats.records, stats.quarantined, stats.failed_batches), (250, 5, 0), "{stats:?}");
    let rows = f.rows().await;
    assert_eq!(rows.len(), 40);
    // The last write of each product (per partition key, so per shard, in order) wins.
    let last = (0..250u32).filter(|i| i % 50 != 7 && i % 40 == 3).max().unwrap();
    assert_eq!(rows["sku-3"].0, i64::from(last));
    assert_eq!(f.quarantined().await.len(), 5);
    assert_eq!(f.archived().await.len(), 250);
}
