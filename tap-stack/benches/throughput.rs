//! Processor throughput on the local services, against the seed handler's approach, in
//! one run: `scripts/services start && cargo bench -p tap-stack --bench throughput`.
//!
//! - tap: `Processor::process` on batches of 100 and 10,000 records (decode, validate,
//!   sequence-guarded upsert on one pipelined connection, cache invalidation, one archive
//!   object per batch).
//! - baseline: what the seed's handler does per record: decode, `put_object` to S3, a new
//!   PostgreSQL connection and one UPDATE, a new Redis connection and one DEL.
//! - the release `bootstrap`: its size, and its start-to-ready time (exec to its first
//!   request for an event, against a minimal Lambda Runtime API served here).
//!
//! With `TAP_BENCH_SMOKE` set (the test command), one small batch each, one run, and the
//! start-to-ready of whichever `inventory-processor` is built (the debug one the tests
//! built, when there is no release one).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use base64::Engine;
use tap::runtime::{WireEvent, WireKinesis, WireRecord};
use tap_stack::processor::local::{self, LocalServices};
use tap_stack::processor::{Clients, Processor};
use tap_stack::product_catalog::processor::Env;

fn services() -> HashMap<String, String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../.state/services.env"))
        .expect("start the services first: scripts/services start");
    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

fn event(first_seq: u64, n: usize, products: usize) -> WireEvent {
    let records = (0..n)
        .map(|i| {
            let seq = format!("{}", 49_000_000_000_000_000u64 + first_seq + i as u64);
            let json = format!(r#"{{"product_id":"bench-{}","inventory":{}}}"#, i % products, i);
            WireRecord {
                event_id: format!("shardId-000000000000:{seq}"),
                event_source_arn: None,
                kinesis: WireKinesis {
                    sequence_number: seq,
                    partition_key: format!("bench-{}", i % products),
                    data: base64::engine::general_purpose::STANDARD.encode(json),
                    approximate_arrival_timestamp: None,
                },
            }
        })
        .collect();
    WireEvent { records }
}

/// The seed handler's loop, in Rust: per record a new database and cache connection.
async fn baseline(ev: &WireEvent, svc: &HashMap<String, String>, dbname: &str, clients: &Clients, bucket: &str) {
    for r in &ev.records {
        let bytes = base64::engine::general_purpose::STANDARD.decode(&r.kinesis.data).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let id = v["product_id"].as_str().unwrap().to_owned();
        clients
            .s3
            .put_object()
            .bucket(bucket)
            .key(format!("inventory/{id}.json"))
            .body(bytes.into())
            .send()
            .await
            .unwrap();
        let (client, conn) = tokio_postgres::Config::new()
            .host("127.0.0.1")
            .port(svc["TAP_PG_PORT"].parse().unwrap())
            .user(&svc["TAP_PG_USER"])
            .password(&svc["TAP_PG_PASSWORD"])
            .dbname(dbname)
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        let task = tokio::spawn(conn);
        client
            .execute(
                "UPDATE products SET inventory = $1 WHERE product_id = $2",
                &[&v["inventory"].as_i64().unwrap(), &id],
            )
            .await
            .unwrap();
        drop(client);
        let _ = task.await;
        let mut cache =
            redis::Client::open(format!("redis://:{}@127.0.0.1:{}", svc["TAP_REDIS_PASSWORD"], svc["TAP_REDIS_PORT"]))
                .unwrap()
                .get_multiplexed_async_connection()
                .await
                .unwrap();
        redis::cmd("DEL").arg(format!("product:{id}")).query_async::<i64>(&mut cache).await.unwrap();
    }
}

fn smoke() -> bool {
    std::env::var_os("TAP_BENCH_SMOKE").is_some()
}

/// The release bootstrap; in smoke mode, the debug one when there is no release one.
fn bootstrap() -> &'static str {
    let release = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/inventory-processor");
    let debug = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/debug/inventory-processor");
    if smoke() && !std::path::Path::new(release).exists() {
        debug
    } else {
        release
    }
}

/// Spawns the bootstrap against a one-shot Runtime API and times exec -> first
/// `GET /runtime/invocation/next`: `None` when there is no bootstrap, the bootstrap's own
/// error when it exits (or gives no sign within 30 s) before asking for an event.
fn start_to_ready(vars: &HashMap<&str, String>, svc: &HashMap<String, String>) -> Option<Result<Duration, String>> {
    let bin = bootstrap();
    if !std::path::Path::new(bin).exists() {
        return None;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let api = listener.local_addr().unwrap().to_string();
    let started = Instant::now();
    let mut child = std::process::Command::new(bin)
        .envs(vars.iter().map(|(k, v)| (k.to_string(), v.clone())))
        .env("AWS_LAMBDA_RUNTIME_API", &api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "inventory-processor-bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "bench")
        .env("AWS_ENDPOINT_URL", &svc["TAP_AWS_ENDPOINT"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Never wait for a bootstrap that is gone: it exits when its cold start fails.
    let mut stream = loop {
        match listener.accept() {
            Ok((stream, _)) => break stream,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("the Runtime API's listener failed: {e}"),
        }
        let exited = child.try_wait().unwrap().is_some();
        if exited || started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let mut said = String::new();
            let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut said));
            let _ = child.wait();
            let first = said.lines().next().unwrap_or("no word on stderr").to_owned();
            return Some(Err(first));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    stream.set_nonblocking(false).unwrap();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).unwrap();
    let ready = started.elapsed();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("/runtime/invocation/next"));
    let _ = stream.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
    let _ = child.kill();
    let _ = child.wait();
    Some(Ok(ready))
}

#[tokio::main]
async fn main() {
    let svc = services();
    let aws = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&svc["TAP_AWS_ENDPOINT"])
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "bench"))
        .load()
        .await;
    let clients = Clients::new(&aws);
    let (admin, conn) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(svc["TAP_PG_PORT"].parse().unwrap())
        .user(&svc["TAP_PG_USER"])
        .password(&svc["TAP_PG_PASSWORD"])
        .dbname("postgres")
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    admin.batch_execute("DROP DATABASE IF EXISTS bench WITH (FORCE)").await.unwrap();
    admin.batch_execute("CREATE DATABASE bench").await.unwrap();
    let local = LocalServices::from_lookup(&|k| svc.get(k).cloned()).unwrap();
    let vars: HashMap<&str, String> =
        local::provision(&clients, "bench", "bench", &local).await.unwrap().into_iter().collect();
    let env = Env::from_lookup(&|k| vars.get(k).cloned()).unwrap();
    let login = local::login(&clients, &vars[local::LOCAL_LOGIN_SECRET]);
    let processor = Processor::start_with(env, &aws, login).await.unwrap();

    println!("## processor throughput (local PostgreSQL, Redis, moto; best of 3)\n");
    println!("| batch | tap: time | tap: records/s | baseline: records/s | ratio |");
    println!("|---:|---:|---:|---:|---:|");
    let mut seq = 0u64;
    let mut baseline_rates = Vec::new();
    let (sizes, runs): (&[(usize, usize)], usize) =
        if smoke() { (&[(10, 5)], 1) } else { (&[(100, 100), (10_000, 1_000)], 3) };
    for &(n, baseline_n) in sizes {
        let mut best = Duration::MAX;
        for _ in 0..runs {
            let ev = event(seq, n, n.min(2_000));
            seq += n as u64;
            let t = Instant::now();
            let report = processor.process(&ev).await;
            let took = t.elapsed();
            assert_eq!((report.applied, report.retry_from.clone()), (n, None), "{report:?}");
            best = best.min(took);
        }
        // The baseline on `baseline_n` records (a new connection per record makes 10,000
        // take minutes); its rate does not depend on the batch size.
        let ev = event(seq, baseline_n, baseline_n.min(2_000));
        seq += baseline_n as u64;
        let t = Instant::now();
        baseline(&ev, &svc, "bench", &clients, "bench-archive").await;
        let base_rate = baseline_n as f64 / t.elapsed().as_secs_f64();
        baseline_rates.push(base_rate);
        let rate = n as f64 / best.as_secs_f64();
        println!(
            "| {n} | {:.0} ms | {rate:.0} | {base_rate:.0} (on {baseline_n}) | {:.0}× |",
            best.as_secs_f64() * 1e3,
            rate / base_rate
        );
    }

    println!("\n## release bootstrap\n");
    let bin = bootstrap();
    match std::fs::metadata(bin) {
        Ok(m) => {
            let built = if bin.contains("/release/") { "release: stripped, thin LTO" } else { "the debug build" };
            println!("size: {:.1} MB ({built})", m.len() as f64 / 1e6)
        }
        Err(_) => println!("size: (build it first: cargo build --release -p tap-stack --bin inventory-processor)"),
    }
    let mut readies = Vec::new();
    let mut failed = None;
    for _ in 0..runs {
        match start_to_ready(&vars, &svc) {
            Some(Ok(d)) => readies.push(d),
            Some(Err(why)) => failed = Some(why),
            None => {}
        }
    }
    if let Some(best) = readies.iter().min() {
        println!("start-to-ready: {:.0} ms best of {} (exec -> first /runtime/invocation/next: reads the secret, connects PostgreSQL, applies the schema, connects Redis)", best.as_secs_f64() * 1e3, readies.len());
    } else if let Some(why) = failed {
        // Said, not hidden: the deployed bootstrap logs in to the database with IAM tokens,
        // which a local PostgreSQL cannot check.
        println!("start-to-ready: not measured here: the bootstrap exited before asking for an event ({why})");
    }
}
