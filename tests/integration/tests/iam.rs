//! The grants proven against the code, on an IAM-enforcing emulator (the second moto
//! server of `scripts/services`, which checks every request against the caller's
//! policies; see `scripts/moto-iam.py`).
//!
//! For each function (the product catalog's processor and the example worker), the test
//! takes the function's slice of the synthesised template: the resources its environment,
//! its policy and its event source mapping name. It stands each up on the emulator, resolves
//! the template's references to them, creates an IAM user whose only policy is the
//! function's synthesised `grants` policy, and runs the function's real code with that
//! user's credentials, the event source's calls included (a mapping reads with the
//! function's role): every record lands. Then it removes each action in turn and shows
//! that some path of the code is now denied that very action: the policy is sufficient
//! and minimal.
//!
//! What the emulator cannot judge: the managed policies for logs and VPC networking
//! (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole), which no code here
//! calls, and conditions on network paths (VPC endpoints).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value as Json};

const REGION: &str = "us-east-1";

struct Ctx {
    endpoint: String,
    admin: aws_config::SdkConfig,
    admin_file: String,
    python: String,
    /// The local PostgreSQL and Redis the database and cache stand in for.
    local: tap_stack::processor::local::LocalServices,
}

async fn sdk(endpoint: &str, key: &str, secret: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new(REGION))
        .credentials_provider(aws_sdk_s3::config::Credentials::new(key, secret, None, None, "iam-test"))
        // A denial is final: no retries to wait through.
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

async fn ctx() -> Ctx {
    let vars = tap_integration_tests::services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    let admin_file = get("TAP_IAM_ADMIN");
    let key: Json = serde_json::from_str(&std::fs::read_to_string(&admin_file).unwrap()).unwrap();
    let endpoint = get("TAP_IAM_ENDPOINT");
    Ctx {
        admin: sdk(&endpoint, key["AccessKeyId"].as_str().unwrap(), key["SecretAccessKey"].as_str().unwrap()).await,
        endpoint,
        admin_file,
        python: get("TAP_PYTHON"),
        local: tap_stack::processor::local::LocalServices::from_lookup(&|k| vars.get(k).cloned())
            .unwrap_or_else(|e| panic!("{e}")),
    }
}

impl Ctx {
    /// An IAM user whose only policy is `policy`, and an SDK configuration with its key.
    async fn user(&self, name: &str, policy: &Json) -> aws_config::SdkConfig {
        let file = std::env::temp_dir().join(format!("tap-iam-{}-{name}.json", std::process::id()));
        std::fs::write(&file, policy.to_string()).unwrap();
        let helper = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/iam-user.py");
        let out = std::process::Command::new(&self.python)
            .args([helper, &self.endpoint, &self.admin_file, name])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "iam-user.py: {}", String::from_utf8_lossy(&out.stderr));
        let key: Json = serde_json::from_slice(&out.stdout).unwrap();
        sdk(&self.endpoint, key["AccessKeyId"].as_str().unwrap(), key["SecretAccessKey"].as_str().unwrap()).await
    }
}

/// One function's part of a template.
struct Function<'t> {
    template: &'t Json,
    lid: &'static str,
}

impl<'t> Function<'t> {
    fn resources(&self) -> &'t serde_json::Map<String, Json> {
        self.template["Resources"].as_object().unwrap()
    }
    fn props(&self) -> &'t Json {
        &self.resources()[self.lid]["Properties"]
    }
    /// The role's `grants` policy, as synthesised.
    fn policy(&self) -> &'t Json {
        let role = self.props()["Role"]["Fn::GetAtt"][0].as_str().unwrap();
        let policies = self.resources()[role]["Properties"]["Policies"].as_array().unwrap();
        &policies.iter().find(|p| p["PolicyName"] == "grants").expect("the role has a grants policy")["PolicyDocument"]
    }
    /// The event source mapping that invokes it.
    fn event_source(&self) -> &'t Json {
        let esm = self.resources().values().find(|r| {
            r["Type"] == "AWS::Lambda::EventSourceMapping" && r["Properties"]["FunctionName"]["Ref"] == self.lid
        });
        &esm.expect("the function has an event source mapping")["Properties"]
    }
    fn env(&self) -> &'t Json {
        &self.props()["Environment"]["Variables"]
    }
    /// Every logical id its environment, policy and event source name.
    fn referenced(&self) -> Vec<String> {
        let mut out = Vec::new();
        for v in [self.env(), self.policy(), self.event_source()] {
            refs(v, &mut out);
        }
        out.retain(|l| l != self.lid && !l.starts_with("AWS::"));
        out
    }
}

fn refs(v: &Json, out: &mut Vec<String>) {
    let mut push = |l: &str| {
        if !out.iter().any(|o| o == l) {
            out.push(l.to_owned())
        }
    };
    match v {
        Json::Object(m) => {
            if let Some(Json::String(l)) = m.get("Ref") {
                push(l);
            } else if let Some(Json::String(l)) = m.get("Fn::GetAtt").and_then(|g| g.get(0)) {
                push(l);
            } else {
                m.values().for_each(|v| refs(v, out));
            }
        }
        Json::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The stand-ins of a template's resources: what `Ref` and each `Fn::GetAtt` give.
#[derive(Default)]
struct Local {
    refs: HashMap<String, Json>,
    attrs: HashMap<(String, String), Json>,
}

impl Local {
    fn resolve(&self, v: &Json) -> Json {
        match v {
            Json::Object(m) if m.contains_key("Ref") => {
                let l = m["Ref"].as_str().unwrap();
                self.refs
                    .get(l)
                    .cloned()
                    .unwrap_or_else(|| panic!("the template references {l}, which has no stand-in"))
            }
            Json::Object(m) if m.contains_key("Fn::GetAtt") => {
                let g = &m["Fn::GetAtt"];
                let key = (g[0].as_str().unwrap().to_owned(), g[1].as_str().unwrap().to_owned());
                self.attrs
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| panic!("the template reads {key:?}, which has no stand-in"))
            }
            Json::Object(m) if m.contains_key("Fn::Join") => {
                let j = &m["Fn::Join"];
                let parts: Vec<String> = j[1].as_array().unwrap().iter().map(|p| text(&self.resolve(p))).collect();
                json!(parts.join(j[0].as_str().unwrap()))
            }
            Json::Object(m) if m.contains_key("Fn::Sub") => {
                let mut s = m["Fn::Sub"]
                    .as_str()
                    .unwrap()
                    .replace("${AWS::Partition}", "aws")
                    .replace("${AWS::Region}", REGION)
                    .replace("${AWS::AccountId}", "123456789012");
                for (l, v) in &self.refs {
                    s = s.replace(&format!("${{{l}}}"), &text(v));
                }
                for ((l, a), v) in &self.attrs {
                    s = s.replace(&format!("${{{l}.{a}}}"), &text(v));
                }
                assert!(!s.contains("${"), "unresolved Fn::Sub: {s}");
                json!(s)
            }
            Json::Object(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), self.resolve(v))).collect()),
            Json::Array(items) => Json::Array(items.iter().map(|v| self.resolve(v)).collect()),
            other => other.clone(),
        }
    }
}

fn text(v: &Json) -> String {
    v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())
}

/// Stands up, with the admin's credentials, each resource the function references:
/// buckets, queues, secrets and streams on the emulator, named `<prefix>-<logical id>`;
/// the database and the cache are the local PostgreSQL and Redis.
async fn stand_up(c: &Ctx, f: &Function<'_>, prefix: &str) -> Local {
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&c.admin).force_path_style(true).build());
    let sqs = aws_sdk_sqs::Client::new(&c.admin);
    let secrets = aws_sdk_secretsmanager::Client::new(&c.admin);
    let kinesis = aws_sdk_kinesis::Client::new(&c.admin);
    let mut local = Local::default();
    let mut attr = |l: &str, a: &str, v: Json| {
        local.attrs.insert((l.to_owned(), a.to_owned()), v);
    };
    let mut refs = HashMap::new();
    for lid in f.referenced() {
        let r = &f.resources()[&lid];
        let name = format!("{prefix}-{}", lid.to_lowercase());
        match r["Type"].as_str().unwrap() {
            "AWS::S3::Bucket" => {
                s3.create_bucket().bucket(&name).send().await.unwrap();
                attr(&lid, "Arn", json!(format!("arn:aws:s3:::{name}")));
                refs.insert(lid, json!(name));
            }
            "AWS::SQS::Queue" => {
                let mut q = sqs.create_queue().queue_name(&name);
                if let Some(v) = r["Properties"]["VisibilityTimeout"].as_i64() {
                    q = q.attributes(aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout, v.to_string());
                }
                let url = q.send().await.unwrap().queue_url().unwrap().to_owned();
                attr(&lid, "Arn", json!(format!("arn:aws:sqs:{REGION}:123456789012:{name}")));
                attr(&lid, "QueueName", json!(name));
                refs.insert(lid, json!(url));
            }
            "AWS::SecretsManager::Secret" => {
                let template: Json = serde_json::from_str(
                    r["Properties"]["GenerateSecretString"]["SecretStringTemplate"].as_str().unwrap(),
                )
                .unwrap();
                // The cache's AUTH token (user `default`): the only secret a function reads
                // itself (the database's master secret is RDS's, read by the setup function).
                assert_eq!(template["username"], "default", "{lid} is the cache token's secret");
                let body = json!({ "username": "default", "password": c.local.redis_password }).to_string();
                let created = secrets.create_secret().name(&name).secret_string(body).send().await.unwrap();
                refs.insert(lid, json!(created.arn().unwrap()));
            }
            "AWS::Kinesis::Stream" => {
                let shards = r["Properties"]["ShardCount"].as_i64().unwrap() as i32;
                kinesis.create_stream().stream_name(&name).shard_count(shards).send().await.unwrap();
                attr(&lid, "Arn", json!(format!("arn:aws:kinesis:{REGION}:123456789012:stream/{name}")));
                refs.insert(lid, json!(name));
            }
            "AWS::RDS::DBInstance" => {
                attr(&lid, "Endpoint.Address", json!("127.0.0.1"));
                attr(&lid, "Endpoint.Port", json!(c.local.pg_port.to_string()));
                attr(&lid, "DbiResourceId", json!("db-LOCALSTANDIN"));
            }
            "Custom::DatabaseUser" => {
                // The setup function's own code, run as the local superuser (the master's
                // stand-in); the user gets a password, since PostgreSQL on loopback cannot
                // check the IAM tokens RDS would.
                let p = &r["Properties"];
                let user = p["User"].as_str().unwrap();
                assert_eq!(user, tap_stack::processor::local::DB_USER);
                tap_stack::processor::local::setup_database(p["DatabaseName"].as_str().unwrap(), &c.local)
                    .await
                    .unwrap();
                attr(&lid, "User", json!(user));
            }
            "AWS::ElastiCache::ReplicationGroup" => {
                attr(&lid, "PrimaryEndPoint.Address", json!("127.0.0.1"));
                attr(&lid, "PrimaryEndPoint.Port", json!(c.local.redis_port.to_string()));
            }
            other => panic!("{lid}: no local stand-in for {other}"),
        }
    }
    // The function itself runs in-process; its name is all a reference to it needs.
    refs.insert(f.lid.to_owned(), json!(format!("{prefix}-{}", f.lid.to_lowercase())));
    local.refs = refs;
    local
}

/// The policy without one action (a statement left with none is dropped).
fn without(policy: &Json, statement: usize, action: &str) -> Json {
    let mut p = policy.clone();
    let statements = p["Statement"].as_array_mut().unwrap();
    statements[statement]["Action"].as_array_mut().unwrap().retain(|a| a != action);
    if statements[statement]["Action"].as_array().unwrap().is_empty() {
        statements.remove(statement);
    }
    p
}

/// The actions of `policy` (of one statement, or all) that no path of the code was denied
/// when the policy lost them: `run(n, policy without the nth action)` runs the code.
async fn unneeded<F, Fut>(policy: &Json, only: Option<usize>, run: F) -> Vec<(String, Run)>
where
    F: Fn(usize, Json) -> Fut,
    Fut: std::future::Future<Output = Run>,
{
    let mut kept = Vec::new();
    for (n, (statement, action)) in actions(policy).into_iter().enumerate() {
        if only.is_some_and(|s| s != statement) {
            continue;
        }
        let outcome = run(n, without(policy, statement, &action)).await;
        if !outcome.denied(&action) {
            kept.push((action, outcome));
        }
    }
    kept
}

fn explain(kept: &[(String, Run)]) -> String {
    kept.iter()
        .map(|(action, run)| format!("{action}: no path was denied it; saw {:?}", run.errors))
        .collect::<Vec<_>>()
        .join("\n")
}

fn actions(policy: &Json) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, s) in policy["Statement"].as_array().unwrap().iter().enumerate() {
        assert_eq!(s["Effect"], "Allow");
        for a in s["Action"].as_array().unwrap() {
            out.push((i, a.as_str().unwrap().to_owned()));
        }
    }
    out
}

/// What a run of the function's code saw: errors from its start, its event source and
/// its batches.
#[derive(Debug, Default)]
struct Run {
    errors: Vec<String>,
}

impl Run {
    /// Denied `action`: an error names it, or is a denial that names no action (S3's say
    /// only "Access Denied"; the run under the full policy saw no denial at all, so one
    /// here comes from the action removed).
    fn denied(&self, action: &str) -> bool {
        self.errors.iter().any(|e| {
            e.contains(&format!("not authorized to perform: {action}"))
                || (e.contains("AccessDenied") && !e.contains("not authorized to perform"))
        })
    }
    fn any_denial(&self) -> Option<&String> {
        self.errors.iter().find(|e| e.contains("not authorized") || e.contains("AccessDenied"))
    }
}

// ---- the product catalog's processor -------------------------------------------------

mod processor {
    use super::*;
    use tap_stack::processor::local::{self, Options};
    use tap_stack::processor::Processor;
    use tap_stack::product_catalog::processor::{Env, DATABASE_SCHEMA};

    pub const LID: &str = "Processor";

    /// The processor's tests share the database the template names: one at a time.
    pub static DATABASE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    pub struct Outcome {
        pub run: Run,
        pub local: Local,
        pub stats: Option<local::Stats>,
    }

    pub async fn database(c: &Ctx, name: &str) -> tokio_postgres::Client {
        let connect = |db: String| async move {
            let (client, conn) = tokio_postgres::Config::new()
                .host("127.0.0.1")
                .port(c.local.pg_port)
                .user(&c.local.pg_user)
                .password(&c.local.pg_password)
                .dbname(&db)
                .connect(tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
        };
        let admin = connect("postgres".into()).await;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let db = connect(name.to_owned()).await;
        // The schema (the setup function applies it again when the slice is stood up), and
        // a product that always fails with a transient error (serialization failure), so
        // the batch holding it is retried and then sent to the on-failure destination.
        db.batch_execute(DATABASE_SCHEMA).await.unwrap();
        db.batch_execute(
            "CREATE OR REPLACE FUNCTION poison() RETURNS trigger AS $$
             BEGIN RAISE EXCEPTION 'poisoned product %', NEW.product_id USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql;
             CREATE OR REPLACE TRIGGER poison BEFORE INSERT OR UPDATE ON products FOR EACH ROW
               WHEN (NEW.product_id LIKE 'poison%') EXECUTE FUNCTION poison();",
        )
        .await
        .unwrap();
        db
    }

    /// Stands the processor's slice up, puts `good` updates, one malformed record and one
    /// poisoned update on its stream, and runs the cold start and the event source with
    /// the credentials of a user holding `policy` (as synthesised, before resolution).
    pub async fn run(c: &Ctx, f: &Function<'_>, name: &str, policy: &Json, good: usize) -> Outcome {
        let local = stand_up(c, f, name).await;
        let user = c.user(name, &local.resolve(policy)).await;
        let env_json = local.resolve(f.env());
        let env = Env::from_lookup(&|k| env_json.get(k).map(text)).unwrap();
        let esm = local.resolve(f.event_source());
        let stream = esm["EventSourceArn"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        let failure_arn = esm["DestinationConfig"]["OnFailure"]["Destination"].as_str().unwrap();
        let failure_url = local
            .refs
            .values()
            .map(text)
            .find(|u| u.ends_with(&format!("/{}", failure_arn.rsplit(':').next().unwrap())))
            .unwrap();

        let kinesis = aws_sdk_kinesis::Client::new(&c.admin);
        let put = |key: String, data: String| {
            let kinesis = kinesis.clone();
            let stream = stream.clone();
            async move {
                kinesis
                    .put_record()
                    .stream_name(stream)
                    .partition_key(key)
                    .data(aws_sdk_kinesis::primitives::Blob::new(data))
                    .send()
                    .await
                    .unwrap()
            }
        };
        for i in 0..good {
            let id = format!("{name}-p{i}");
            put(id.clone(), json!({ "product_id": id, "inventory": i }).to_string()).await;
        }
        put("malformed".into(), "{not json".into()).await;
        put(format!("poison-{name}"), json!({ "product_id": format!("poison-{name}"), "inventory": 1 }).to_string())
            .await;

        let mut run = Run::default();
        let login = tap::database::Login::password(|| async { Ok(local::LOCAL_DB_PASSWORD.to_owned()) });
        let processor = match Processor::start_with(env, &user, login).await {
            Ok(p) => p,
            Err(e) => {
                run.errors.push(e.to_string());
                return Outcome { run, local, stats: None };
            }
        };
        let opts = Options {
            stream,
            batch_size: esm["BatchSize"].as_i64().unwrap() as i32,
            max_retries: esm["MaximumRetryAttempts"].as_i64().unwrap() as u32,
            failure_queue_url: Some(failure_url),
            idle_polls: 3,
            poll_interval: Duration::from_millis(100),
        };
        // The event source mapping reads and reports failures with the function's role.
        let stats =
            match local::run(&processor, &aws_sdk_kinesis::Client::new(&user), &aws_sdk_sqs::Client::new(&user), &opts)
                .await
            {
                Ok(stats) => {
                    run.errors.extend(stats.errors.iter().cloned());
                    Some(stats)
                }
                Err(e) => {
                    run.errors.push(e.to_string());
                    None
                }
            };
        Outcome { run, local, stats }
    }
}

// ---- the example worker ---------------------------------------------------------------

mod worker {
    use super::*;
    use sqs_worker::sqs_worker::worker::Env;
    use sqs_worker::Worker;

    pub const LID: &str = "Worker";

    pub struct Outcome {
        pub run: Run,
        pub local: Local,
        pub stats: Option<sqs_worker::local::Stats>,
        pub jobs_url: String,
    }

    /// Stands the worker's slice up, sends `good` jobs and one invalid job, and runs the
    /// event source and the worker with the credentials of a user holding `policy`.
    pub async fn run(c: &Ctx, f: &Function<'_>, name: &str, policy: &Json, good: usize) -> Outcome {
        let local = stand_up(c, f, name).await;
        let user = c.user(name, &local.resolve(policy)).await;
        let env_json = local.resolve(f.env());
        let env = Env::from_lookup(&|k| env_json.get(k).map(text)).unwrap();
        let source = f.event_source()["EventSourceArn"]["Fn::GetAtt"][0].as_str().unwrap();
        let jobs_url = text(&local.refs[source]);
        let sqs = aws_sdk_sqs::Client::new(&c.admin);
        for i in 0..good {
            sqs.send_message()
                .queue_url(&jobs_url)
                .message_body(json!({ "kind": "resize", "input": { "n": i } }).to_string())
                .send()
                .await
                .unwrap();
        }
        sqs.send_message().queue_url(&jobs_url).message_body(json!({ "kind": " " }).to_string()).send().await.unwrap();

        let timeout = Duration::from_secs(f.props()["Timeout"].as_u64().unwrap());
        let worker = Worker::new(&env, &user);
        let mut run = Run::default();
        let stats = match sqs_worker::local::run(&worker, &aws_sdk_sqs::Client::new(&user), &jobs_url, timeout, 3).await
        {
            Ok(stats) => {
                run.errors.extend(stats.errors.iter().cloned());
                Some(stats)
            }
            Err(e) => {
                run.errors.push(e.to_string());
                None
            }
        };
        Outcome { run, local, stats, jobs_url }
    }
}

async fn messages(c: &Ctx, url: &str) -> Vec<Json> {
    let sqs = aws_sdk_sqs::Client::new(&c.admin);
    let got =
        sqs.receive_message().queue_url(url).max_number_of_messages(10).visibility_timeout(0).send().await.unwrap();
    got.messages().iter().map(|m| serde_json::from_str(m.body().unwrap()).unwrap()).collect()
}

async fn objects(c: &Ctx, bucket: &str) -> Vec<String> {
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&c.admin).force_path_style(true).build());
    let mut bodies = Vec::new();
    for o in s3.list_objects_v2().bucket(bucket).send().await.unwrap().contents() {
        let got = s3.get_object().bucket(bucket).key(o.key().unwrap()).send().await.unwrap();
        bodies.push(String::from_utf8(got.body.collect().await.unwrap().into_bytes().to_vec()).unwrap());
    }
    bodies
}

fn local_user() -> &'static str {
    tap_stack::processor::local::DB_USER
}

/// A unique prefix per test run: the emulator keeps its state between runs.
fn run_id() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    format!("{:x}", t % 0xffff_ffff)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processor_policy_is_sufficient_and_minimal() {
    let c = ctx().await;
    let template: Json = serde_json::from_str(&std::fs::read_to_string(tap_stack::TEMPLATE_PATH).unwrap()).unwrap();
    let f = Function { template: &template, lid: processor::LID };
    let _serial = processor::DATABASE.lock().await;
    let policy = f.policy();
    let db = processor::database(&c, f.env()["DB_NAME"].as_str().unwrap()).await;
    let id = run_id();

    // Sufficient: every record lands where the code sends it.
    let name = format!("pc{id}-all");
    let full = processor::run(&c, &f, &name, policy, 6).await;
    assert!(full.run.any_denial().is_none(), "denied under the synthesised policy: {:?}", full.run.errors);
    let stats = full.stats.as_ref().expect("the event source ran");
    // 8 records: 6 applied, 1 quarantined, the poisoned one retried 3 times, then sent on.
    assert_eq!((stats.applied, stats.quarantined, stats.retries, stats.failed_batches), (6, 1, 3, 1), "{stats:?}");
    let rows = db
        .query(
            "SELECT product_id, inventory FROM products WHERE product_id LIKE $1 ORDER BY product_id",
            &[&format!("{name}-%")],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 6, "each update applied");
    let quarantined = messages(&c, &text(&full.local.refs["QuarantineQueue"])).await;
    assert_eq!(quarantined.len(), 1);
    assert!(quarantined[0]["reason"].as_str().unwrap().starts_with("data is not a valid record"), "{quarantined:?}");
    let failed = messages(&c, &text(&full.local.refs["FailureQueue"])).await;
    assert_eq!(failed.len(), 1, "the poisoned batch went to the on-failure destination");
    assert!(failed[0]["error"].as_str().unwrap().contains("poisoned product"), "{failed:?}");
    let archived: usize =
        objects(&c, &text(&full.local.refs["ArchiveBucket"])).await.iter().map(|b| b.lines().count()).sum();
    assert_eq!(archived, 7, "every handled record archived (the poisoned one is not handled)");

    // `rds-db:connect` is RDS's to check when the processor logs in with a token, which
    // PostgreSQL on loopback cannot do: its statement must name exactly the processor's own
    // database user (the token test in tap-core checks the token's form).
    let connect = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["Action"] == json!(["rds-db:connect"]))
        .expect("the processor may connect as its user");
    let resolved = full.local.resolve(&policy["Statement"][connect]["Resource"]);
    assert_eq!(
        resolved,
        json!([format!("arn:aws:rds-db:{REGION}:123456789012:dbuser:db-LOCALSTANDIN/{}", local_user())])
    );
    let mut checkable = policy.clone();
    checkable["Statement"].as_array_mut().unwrap().remove(connect);

    // Minimal: without any one action, some path of the code is denied that action.
    let kept = unneeded(&checkable, None, |n, p| {
        let (c, f, name) = (&c, &f, format!("pc{id}-{n}"));
        async move { processor::run(c, f, &name, &p, 2).await.run }
    })
    .await;
    assert!(kept.is_empty(), "TAP-IAM-002: granted but never needed by the processor:\n{}", explain(&kept));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_policy_is_sufficient_and_minimal() {
    let c = ctx().await;
    let template: Json = serde_json::from_str(&std::fs::read_to_string(sqs_worker::TEMPLATE_PATH).unwrap()).unwrap();
    let f = Function { template: &template, lid: worker::LID };
    let policy = f.policy();
    let id = run_id();

    let name = format!("wk{id}-all");
    let full = worker::run(&c, &f, &name, policy, 5).await;
    assert!(full.run.errors.is_empty(), "errors under the synthesised policy: {:?}", full.run.errors);
    let stats = full.stats.as_ref().unwrap();
    assert_eq!((stats.received, stats.applied, stats.quarantined, stats.failed), (6, 5, 1, 0), "{stats:?}");
    let results = objects(&c, &text(&full.local.refs["Results"])).await;
    assert_eq!(results.len(), 5, "each job's result stored");
    let dead = messages(&c, &text(&full.local.refs["DeadLetters"])).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["reason"], "invalid record: kind is empty");
    assert!(messages(&c, &full.jobs_url).await.is_empty(), "every handled job deleted from the queue");

    let kept = unneeded(policy, None, |n, p| {
        let (c, f, name) = (&c, &f, format!("wk{id}-{n}"));
        async move { worker::run(c, f, &name, &p, 2).await.run }
    })
    .await;
    assert!(kept.is_empty(), "TAP-IAM-002: granted but never needed by the worker:\n{}", explain(&kept));
}

/// The mutation the typed handles cannot see: `archive_bucket.read_write` where the code
/// only writes still compiles (a `Bucket<ReadWrite>` can put objects). The policy it would
/// synthesise (the bucket statement widened to tap's own `read_write` level) fails the
/// minimality check on exactly the two read actions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_broader_than_the_code_fails_the_minimality_check() {
    let c = ctx().await;
    let template: Json = serde_json::from_str(&std::fs::read_to_string(tap_stack::TEMPLATE_PATH).unwrap()).unwrap();
    let f = Function { template: &template, lid: processor::LID };
    let _serial = processor::DATABASE.lock().await;
    let read_write = tap::Kind::Bucket.spec().level("read_write").unwrap();
    let mut widened = f.policy().clone();
    let statement = widened["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["Sid"] == "ArchiveBucketWrite")
        .expect("the archive's statement");
    let arn = json!({ "Fn::GetAtt": ["ArchiveBucket", "Arn"] });
    widened["Statement"][statement]["Action"] = json!(read_write.actions);
    widened["Statement"][statement]["Resource"] = json!([arn, { "Fn::Join": ["", [arn, "/*"]] }]);
    let _db = processor::database(&c, f.env()["DB_NAME"].as_str().unwrap()).await;
    let id = run_id();
    let kept = unneeded(&widened, Some(statement), |n, p| {
        let (c, f, name) = (&c, &f, format!("rw{id}-{n}"));
        async move { processor::run(c, f, &name, &p, 1).await.run }
    })
    .await;
    let kept: Vec<&str> = kept.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(kept, ["s3:GetObject", "s3:ListBucket"], "read_write grants two actions the processor never needs");
}
