//! The database setup function (`tap::database::setup`, the custom resource behind every
//! `DatabaseUser`) against the local PostgreSQL, as the local superuser standing in for
//! the RDS master user. Its response goes to a local HTTP listener standing in for
//! CloudFormation's presigned URL. RDS's `rds_iam` role is created as a stand-in (RDS
//! has it built in); what RDS does with it (accepting IAM tokens) cannot happen here.
//!
//! Also: the IAM token the processor logs in with, byte for byte against botocore's
//! `generate_db_auth_token` at the same instant with the same credentials.

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use tap::database::setup::{Request, Setup, UserAuth};
use tap::database::Credentials;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Pg {
    port: u16,
    user: String,
    password: String,
}

fn pg() -> Pg {
    let vars = tap_integration_tests::services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    Pg { port: get("TAP_PG_PORT").parse().unwrap(), user: get("TAP_PG_USER"), password: get("TAP_PG_PASSWORD") }
}

async fn session(pg: &Pg, db: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(pg.port)
        .user(&pg.user)
        .password(&pg.password)
        .dbname(db)
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS products (product_id text PRIMARY KEY, inventory integer NOT NULL);\n\
                      CREATE SEQUENCE IF NOT EXISTS batch_ids;";

/// A fresh database `name`, the `rds_iam` stand-in, and no role `user` left from a run before.
async fn fresh(pg: &Pg, name: &str, user: &str) -> tokio_postgres::Client {
    let admin = session(pg, "postgres").await;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {user}")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    admin.batch_execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$").await.unwrap();
    admin
}

fn setup(pg: &Pg, auth: UserAuth) -> Setup {
    let master = Credentials::new(pg.user.clone(), pg.password.clone());
    Setup::new(SCHEMA, auth, move || {
        let m = master.clone();
        async move { Ok(m) }
    })
}

/// A request as CloudFormation sends it, through the type the setup function reads.
fn typed(e: Value) -> Request {
    serde_json::from_value(e).expect("a custom-resource request")
}

fn event(
    request: &str,
    physical_id: Option<&str>,
    db: &str,
    user: &str,
    access: &str,
    drop_on_delete: bool,
    response_url: &str,
) -> Request {
    typed(event_json(request, physical_id, db, user, access, drop_on_delete, response_url))
}

fn event_json(
    request: &str,
    physical_id: Option<&str>,
    db: &str,
    user: &str,
    access: &str,
    drop_on_delete: bool,
    response_url: &str,
) -> Value {
    let mut e = json!({
        "RequestType": request,
        "ResponseURL": response_url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/ProductCatalog-ut/1",
        "RequestId": format!("{request}-1"),
        "LogicalResourceId": "ProcessorLogin",
        "ResourceType": "Custom::DatabaseUser",
        // As CloudFormation sends them: every value a string.
        "ResourceProperties": { "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:setup", "Endpoint": "127.0.0.1",
            "Port": pg().port.to_string(), "DatabaseName": db, "User": user, "Access": access, "DropOnDelete": drop_on_delete.to_string(),
            "SetupCode": "assets/abc.zip" },
    });
    if let Some(id) = physical_id {
        e["PhysicalResourceId"] = json!(id);
    }
    if request == "Update" {
        // CloudFormation sends what the properties were (the type requires it).
        e["OldResourceProperties"] = e["ResourceProperties"].clone();
    }
    e
}

/// A one-shot HTTP server standing in for CloudFormation's response URL: returns the URL
/// and a task that yields the raw request it received.
async fn response_url(status: &str) -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url =
        format!("http://{}/cfn-response/ProcessorLogin?X-Amz-Signature=abc%2F123", listener.local_addr().unwrap());
    let status = status.to_owned();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // Headers, then as many body bytes as Content-Length says.
        loop {
            let n = socket.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let len: usize = text
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(str::to_owned))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if buf.len() >= end + 4 + len {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        socket.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes()).await.unwrap();
        String::from_utf8(buf).unwrap()
    });
    (url, task)
}

async fn privileges(admin: &tokio_postgres::Client, user: &str, table: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"] {
        let row = admin.query_one("SELECT has_table_privilege($1, $2, $3)", &[&user, &table, &p]).await.unwrap();
        if row.get::<_, bool>(0) {
            out.push(p.to_owned());
        }
    }
    out
}

#[tokio::test]
async fn create_makes_an_iam_user_with_exactly_its_access_and_tells_cloudformation() {
    let _g = SERIAL.lock().await;
    let pg = pg();
    let (db, user) = ("t_setup_create", "setup_rw");
    let admin = fresh(&pg, db, user).await;
    let (url, request) = response_url("200 OK").await;
    let e = event("Create", None, db, user, "ReadWrite", true, &url);
    let outcome = setup(&pg, UserAuth::Iam).handle(&e).await;
    assert!(outcome.success, "{outcome:?}");
    tap::database::setup::respond(&e, &outcome).await.unwrap();

    // What CloudFormation received: a PUT to the presigned path with an empty content type.
    let raw = request.await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("PUT /cfn-response/ProcessorLogin?X-Amz-Signature=abc%2F123 HTTP/1.1\r\n"), "{head}");
    // Header names are case-insensitive (hyper writes them lowercase).
    assert!(
        head.to_ascii_lowercase().contains("\r\ncontent-type: \r\n"),
        "the presigned URL signs an empty content type: {head}"
    );
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (body["Status"].as_str(), body["PhysicalResourceId"].as_str(), body["Data"]["User"].as_str()),
        (Some("SUCCESS"), Some(user), Some(user))
    );
    assert_eq!(
        (body["RequestId"].as_str(), body["LogicalResourceId"].as_str()),
        (Some("Create-1"), Some("ProcessorLogin"))
    );

    // The user: logs in, has no password (tokens only), is in rds_iam, and nothing more.
    let dbs = session(&pg, db).await;
    let role = admin.query_one("SELECT rolcanlogin, rolpassword IS NULL, rolsuper, rolcreaterole, rolcreatedb FROM pg_authid WHERE rolname = $1", &[&user]).await.unwrap();
    assert_eq!(
        (
            role.get::<_, bool>(0),
            role.get::<_, bool>(1),
            role.get::<_, bool>(2),
            role.get::<_, bool>(3),
            role.get::<_, bool>(4)
        ),
        (true, true, false, false, false)
    );
    let member = admin.query_one("SELECT pg_has_role($1, 'rds_iam', 'MEMBER')", &[&user]).await.unwrap();
    assert!(member.get::<_, bool>(0), "the user logs in with IAM tokens");
    assert_eq!(privileges(&dbs, user, "products").await, ["SELECT", "INSERT", "UPDATE", "DELETE"]);
    let schema = dbs
        .query_one(
            "SELECT has_schema_privilege($1, 'public', 'CREATE'), has_sequence_privilege($1, 'batch_ids', 'USAGE')",
            &[&user],
        )
        .await
        .unwrap();
    assert_eq!(
        (schema.get::<_, bool>(0), schema.get::<_, bool>(1)),
        (false, true),
        "no CREATE in the schema; sequences usable"
    );
    // A table the schema adds later (as the master) is the user's to write too.
    dbs.batch_execute("CREATE TABLE IF NOT EXISTS later (id int)").await.unwrap();
    assert_eq!(privileges(&dbs, user, "later").await, ["SELECT", "INSERT", "UPDATE", "DELETE"]);

    // Run again (a redeploy with new setup code): the same outcome, nothing duplicated.
    let again = setup(&pg, UserAuth::Iam).handle(&event("Update", Some(user), db, user, "ReadWrite", true, &url)).await;
    assert!(again.success, "{again:?}");
    assert_eq!(privileges(&dbs, user, "products").await, ["SELECT", "INSERT", "UPDATE", "DELETE"]);
}

#[tokio::test]
async fn the_users_own_login_can_write_rows_and_nothing_else() {
    let _g = SERIAL.lock().await;
    let pg = pg();
    let (db, user) = ("t_setup_login", "setup_login");
    fresh(&pg, db, user).await;
    let outcome = setup(&pg, UserAuth::Password("local-only".into()))
        .handle(&event("Create", None, db, user, "ReadWrite", true, "http://127.0.0.1:9/"))
        .await;
    assert!(outcome.success, "{outcome:?}");
    let as_user = session(&Pg { port: pg.port, user: user.into(), password: "local-only".into() }, db).await;
    as_user.batch_execute("INSERT INTO products VALUES ('sku-1', 1); UPDATE products SET inventory = 2").await.unwrap();
    for (what, sql) in [
        ("create a table", "CREATE TABLE mine (id int)"),
        ("drop a table", "DROP TABLE products"),
        ("truncate", "TRUNCATE products"),
        ("create a role", "CREATE ROLE intruder"),
        ("change the schema", "ALTER TABLE products ADD COLUMN x int"),
    ] {
        let err = as_user.batch_execute(sql).await.expect_err(what);
        let code = err.code().map(|c| c.code().to_owned());
        assert_eq!(code.as_deref(), Some("42501"), "{what}: {err:?}");
    }
}

#[tokio::test]
async fn updating_to_read_only_takes_writes_away() {
    let _g = SERIAL.lock().await;
    let pg = pg();
    let (db, user) = ("t_setup_readonly", "setup_ro");
    fresh(&pg, db, user).await;
    let s = setup(&pg, UserAuth::Iam);
    assert!(s.handle(&event("Create", None, db, user, "ReadWrite", true, "http://127.0.0.1:9/")).await.success);
    let outcome = s.handle(&event("Update", Some(user), db, user, "ReadOnly", true, "http://127.0.0.1:9/")).await;
    assert!(outcome.success, "{outcome:?}");
    let dbs = session(&pg, db).await;
    assert_eq!(privileges(&dbs, user, "products").await, ["SELECT"]);
    dbs.batch_execute("CREATE TABLE IF NOT EXISTS later (id int)").await.unwrap();
    assert_eq!(privileges(&dbs, user, "later").await, ["SELECT"], "default privileges follow the access too");
}

#[tokio::test]
async fn delete_drops_the_user_unless_its_database_is_kept() {
    let _g = SERIAL.lock().await;
    let pg = pg();
    let (db, user) = ("t_setup_delete", "setup_del");
    let admin = fresh(&pg, db, user).await;
    let s = setup(&pg, UserAuth::Iam);
    let exists =
        || async { admin.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&user]).await.unwrap().is_some() };
    assert!(s.handle(&event("Create", None, db, user, "ReadWrite", false, "http://127.0.0.1:9/")).await.success);

    // A kept database keeps its users.
    let kept = s.handle(&event("Delete", Some(user), db, user, "ReadWrite", false, "http://127.0.0.1:9/")).await;
    assert!(kept.success && kept.reason.contains("kept"), "{kept:?}");
    assert!(exists().await);

    let dropped = s.handle(&event("Delete", Some(user), db, user, "ReadWrite", true, "http://127.0.0.1:9/")).await;
    assert!(dropped.success, "{dropped:?}");
    assert!(!exists().await, "the user is gone");
    // Deleting again (CloudFormation retries) and deleting what was never created succeed.
    assert!(s.handle(&event("Delete", Some(user), db, user, "ReadWrite", true, "http://127.0.0.1:9/")).await.success);
    let never = s
        .handle(&event("Delete", Some("not-created-Create-1"), db, user, "ReadWrite", true, "http://127.0.0.1:9/"))
        .await;
    assert!(never.success && never.reason.contains("never created"), "{never:?}");
}

#[tokio::test]
async fn failures_are_reported_with_their_reason_and_never_block_a_delete() {
    let _g = SERIAL.lock().await;
    let pg = pg();
    let s = setup(&pg, UserAuth::Iam);
    // A database that does not exist: FAILED, with the server's reason and SQLSTATE.
    let missing = s
        .handle(&event("Create", None, "t_setup_no_such_db", "setup_fail", "ReadWrite", true, "http://127.0.0.1:9/"))
        .await;
    assert!(!missing.success);
    assert!(missing.reason.contains("does not exist") && missing.reason.contains("3D000"), "{missing:?}");
    assert!(missing.physical_id.starts_with("setup_fail"), "{missing:?}");
    // Malformed properties: FAILED before any SQL, naming the property.
    let mut bad = event_json(
        "Create",
        None,
        "t_setup_create",
        "Robert'); DROP TABLE products;--",
        "ReadWrite",
        true,
        "http://127.0.0.1:9/",
    );
    let outcome = s.handle(&typed(bad.clone())).await;
    assert!(!outcome.success && outcome.reason.contains("not a role name"), "{outcome:?}");
    assert!(outcome.physical_id.starts_with("not-created-"), "{outcome:?}");
    // The same on Delete (CloudFormation sends back the stand-in id) succeeds: there is
    // nothing it could have created.
    bad["RequestType"] = json!("Delete");
    bad["PhysicalResourceId"] = json!(outcome.physical_id);
    assert!(s.handle(&typed(bad)).await.success);
    // A database that cannot be reached on Delete: reported, not failed.
    let mut gone = event_json(
        "Delete",
        Some("setup_gone"),
        "t_setup_create",
        "setup_gone",
        "ReadWrite",
        true,
        "http://127.0.0.1:9/",
    );
    gone["ResourceProperties"]["Port"] = json!("9");
    let outcome = s.handle(&typed(gone)).await;
    assert!(outcome.success && outcome.reason.contains("not dropped"), "{outcome:?}");
    // A response CloudFormation refuses is an error after the retries, naming the answer.
    let (url, _request) = response_url("403 Forbidden").await;
    let e = event("Create", None, "t_setup_create", "setup_x", "ReadWrite", true, &url);
    let err = tap::database::setup::respond(&e, &missing).await.unwrap_err();
    assert!(err.contains("403 Forbidden") || err.contains("connect"), "{err}");
}

/// The response goes over TLS verified against the public roots (CloudFormation's URL is
/// an S3 one): a server whose certificate no public authority issued (the local test CA's,
/// from `scripts/services`) is refused before anything is sent.
#[test]
fn an_https_response_url_is_verified() {
    let vars = tap_integration_tests::services_env();
    let ca = std::path::PathBuf::from(
        vars.get("TAP_PG_TLS_CA").expect("TAP_PG_TLS_CA is not set: start the services with `scripts/services start`"),
    );
    let dir = ca.parent().unwrap();
    let server = r#"
import http.server, ssl, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        self.send_response(200); self.end_headers()
        print("RECEIVED", flush=True)
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
server.timeout = 20
print(server.server_address[1], flush=True)
try:
    server.handle_request()
except Exception as e:
    print("HANDSHAKE", type(e).__name__, flush=True)
"#;
    let mut child = tap_integration_tests::emulator_python()
        .arg("-c")
        .arg(server)
        .arg(dir.join("server.crt"))
        .arg(dir.join("server.key"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut port = String::new();
    std::io::BufRead::read_line(&mut out, &mut port).unwrap();
    let url = format!("https://127.0.0.1:{}/cfn-response?X-Amz-Signature=abc", port.trim());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let err = runtime.block_on(tap::database::setup::put(&url, "{}")).unwrap_err();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let _ = child.wait();
    assert!(err.starts_with("PUT to 127.0.0.1") && err.contains("certificate"), "{err}");
    assert!(!rest.contains("RECEIVED"), "the body reached a server that was not verified: {rest}");
}

/// `tap::database::connect`, which every function's login goes through: a refused password
/// or token (28P01) is produced again and tried once more, never retried with the old one
/// and never in a loop. A rotated password is picked up this way; a token, minted anew.
#[tokio::test]
async fn a_refused_login_is_produced_again_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let _g = SERIAL.lock().await;
    let pg = pg();
    let (db, user) = ("t_setup_relogin", "setup_relogin");
    fresh(&pg, db, user).await;
    assert!(
        setup(&pg, UserAuth::Password("current".into()))
            .handle(&event("Create", None, db, user, "ReadWrite", true, "http://127.0.0.1:9/"))
            .await
            .success
    );
    let target =
        tap::database::Target { host: "127.0.0.1".into(), port: pg.port, dbname: db.into(), user: user.into() };
    let login = |answers: &'static [&'static str]| {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let login = tap::database::Login::password(move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move { Ok(answers[n.min(answers.len() - 1)].to_owned()) }
        });
        (login, calls)
    };
    // Stale first (the secret lagged, the token expired), current when produced again.
    let (stale_then_current, calls) = login(&["stale", "current"]);
    let client = tap::database::connect(&target, &stale_then_current, "test").await.unwrap();
    assert_eq!(client.query_one("SELECT current_user::text", &[]).await.unwrap().get::<_, String>(0), user);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Refused twice: the error keeps the SQLSTATE, after exactly one more attempt.
    let (always_stale, calls) = login(&["stale"]);
    let err = tap::database::connect(&target, &always_stale, "test").await.unwrap_err();
    assert!(err.is_auth() && err.to_string().contains("SQLSTATE 28P01"), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// The token, against botocore's at one instant with one set of credentials: the same
/// string, signature included (SigV4's canonical request, scope and query order agree).
#[test]
fn the_iam_token_is_the_one_botocore_mints() {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000); // 2023-11-14T22:13:20Z
    let script = r#"
import datetime, sys, botocore.auth, botocore.session
class Frozen(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return cls(2023, 11, 14, 22, 13, 20)
botocore.auth.datetime.datetime = Frozen
session = botocore.session.get_session()
token = sys.argv[1] if sys.argv[1] != "-" else None
session.set_credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
client = session.create_client("rds", region_name="eu-west-1")
print(client.generate_db_auth_token("product-catalog-ut.abc123.eu-west-1.rds.amazonaws.com", 5432, "inventory_processor"))
"#;
    for session_token in [None, Some("FwoGZXIvYXdzEJr//////////wEaDOr+token=")] {
        let out = tap_integration_tests::emulator_python()
            .arg("-c")
            .arg(script)
            .arg(session_token.unwrap_or("-"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let botocore = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let creds = aws_credential_types::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token.map(str::to_owned),
            None,
            "test",
        );
        let ours = tap::database::token::auth_token(
            "product-catalog-ut.abc123.eu-west-1.rds.amazonaws.com",
            5432,
            "inventory_processor",
            "eu-west-1",
            &creds,
            at,
        )
        .unwrap();
        assert_eq!(ours, botocore, "session token: {session_token:?}");
    }
}
