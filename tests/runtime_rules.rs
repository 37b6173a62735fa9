//! Every rule also guards stacks built by hand through the plain Rust API: `synth()` runs
//! the same checks as `#[stack]`, so no path yields an unchecked template.

use tap::{Kind, Lifecycle, Resource, Stack, Value};

fn s(v: &str) -> Value {
    Value::str(v)
}
fn w(v: &str) -> Value {
    Value::word(v)
}
fn r(t: &str) -> Value {
    Value::reference(t)
}
fn a(t: &str, attr: &str) -> Value {
    Value::attr(t, attr)
}

/// A valid pipeline, built without the macro.
fn base() -> Stack {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/fixtures");
    Stack::new("HandBuilt")
        .with_root(root)
        .with_resource(
            Resource::new(Kind::Vpc, Some("vpc"))
                .with("name", s("hand-{suffix}"))
                .with("max_azs", Value::Int(2))
                .with("nat_gateways", Value::Int(1)),
        )
        .with_resource(
            Resource::new(Kind::SecurityGroup, Some("fn_sg"))
                .with("name", s("hand-fn-{suffix}"))
                .with("vpc", r("vpc"))
                .with("description", s("fn")),
        )
        .with_resource(
            Resource::new(Kind::SecurityGroup, Some("db_sg"))
                .with("name", s("hand-db-{suffix}"))
                .with("vpc", r("vpc"))
                .with("description", s("db")),
        )
        .with_resource(
            Resource::new(Kind::SecurityGroup, Some("ep_sg"))
                .with("name", s("hand-ep-{suffix}"))
                .with("vpc", r("vpc"))
                .with("description", s("endpoints")),
        )
        .with_resource(
            Resource::new(Kind::Ingress, None)
                .with("to", r("db_sg"))
                .with("from", r("fn_sg"))
                .with("port", Value::Int(5432)),
        )
        .with_resource(
            Resource::new(Kind::Ingress, None)
                .with("to", r("ep_sg"))
                .with("from", r("fn_sg"))
                .with("port", Value::Int(443)),
        )
        .with_resource(Resource::new(Kind::Endpoint, None).with("vpc", r("vpc")).with("service", w("S3")))
        .with_resource(
            Resource::new(Kind::Endpoint, None)
                .with("vpc", r("vpc"))
                .with("service", w("SecretsManager"))
                .with("security_group", r("ep_sg")),
        )
        .with_resource(
            Resource::new(Kind::Stream, Some("stream"))
                .with("name", s("hand-stream-{suffix}"))
                .with("shards", Value::Int(1))
                .with("encryption", w("Kms"))
                .with("removal", w("Destroy")),
        )
        .with_resource(
            Resource::new(Kind::Bucket, Some("archive"))
                .with("name", s("hand-archive-{suffix}"))
                .with("removal", w("Destroy"))
                .with("auto_delete_objects", Value::Bool(true))
                .with("encryption", w("S3Managed"))
                .with("block_public_access", Value::Bool(true))
                .with("enforce_tls", Value::Bool(true))
                .with("expire_after_days", Value::Int(30)),
        )
        .with_resource(
            Resource::new(Kind::Secret, Some("secret")).with("name", s("hand-db-{suffix}")).with("username", s("app")),
        )
        .with_resource(
            Resource::new(Kind::Database, Some("db"))
                .with("name", s("hand-{suffix}"))
                .with("engine", w("Postgres"))
                .with("engine_version", s("17.7"))
                .with("instance_class", s("db.t3.micro"))
                .with("allocated_storage", Value::Int(20))
                .with("database_name", s("app"))
                .with("vpc", r("vpc"))
                .with("subnets", w("Private"))
                .with("security_group", r("db_sg"))
                .with("storage_encrypted", Value::Bool(true))
                .with("schema", s("schema.sql")),
        )
        // The database's setup function (the only reader of its master password) and the
        // worker's login, created by it.
        .with_resource(
            Resource::new(Kind::Function, Some("setup"))
                .with("name", s("hand-setup-{suffix}"))
                .with("code", Value::call("Dir", vec![s("lambda")]))
                .with("runtime", w("ProvidedAl2023"))
                .with("vpc", r("vpc"))
                .with("subnets", w("Private"))
                .with("security_group", r("fn_sg"))
                .with("env", Value::map(vec![("MASTER_SECRET_ARN", a("db", "master_secret"))]))
                .with("grants", Value::List(vec![a("db", "admin")])),
        )
        .with_resource(
            Resource::new(Kind::LogGroup, None).with("function", r("setup")).with("retention_days", Value::Int(7)),
        )
        .with_resource(
            Resource::new(Kind::DatabaseUser, Some("login"))
                .with("database", r("db"))
                .with("user", s("worker"))
                .with("access", w("ReadWrite"))
                .with("setup", r("setup")),
        )
        .with_resource(
            Resource::new(Kind::Queue, Some("dlq"))
                .with("name", s("hand-dlq-{suffix}"))
                .with("encryption", w("SqsManaged")),
        )
        .with_resource(
            Resource::new(Kind::Function, Some("worker"))
                .with("name", s("hand-worker-{suffix}"))
                .with("code", Value::call("Dir", vec![s("lambda")]))
                .with("runtime", w("ProvidedAl2023"))
                .with("vpc", r("vpc"))
                .with("subnets", w("Private"))
                .with("security_group", r("fn_sg"))
                .with(
                    "env",
                    Value::map(vec![
                        ("ARCHIVE", a("archive", "name")),
                        ("API_KEY_ARN", a("secret", "arn")),
                        ("DB_USER", a("login", "name")),
                        ("DB_HOST", a("db", "endpoint")),
                    ]),
                )
                .with(
                    "grants",
                    Value::List(vec![
                        a("archive", "write"),
                        a("secret", "read"),
                        a("login", "connect"),
                        a("stream", "read"),
                        a("dlq", "send"),
                    ]),
                ),
        )
        .with_resource(
            Resource::new(Kind::LogGroup, None).with("function", r("worker")).with("retention_days", Value::Int(7)),
        )
        .with_resource(
            Resource::new(Kind::EventSource, None)
                .with("stream", r("stream"))
                .with("target", r("worker"))
                .with("starting_position", w("TrimHorizon"))
                .with("retries", Value::Int(2))
                .with("bisect_on_error", Value::Bool(true))
                .with("max_record_age_seconds", Value::Int(600))
                .with("on_failure", r("dlq"))
                .with("report_batch_item_failures", Value::Bool(true)),
        )
        .with_resource(
            Resource::new(Kind::Alarm, None)
                .with("name", s("hand-errors-{suffix}"))
                .with("on", r("worker"))
                .with("metric", w("Errors"))
                .with("threshold", Value::Int(1)),
        )
        .with_resource(
            Resource::new(Kind::Alarm, None)
                .with("name", s("hand-age-{suffix}"))
                .with("on", r("worker"))
                .with("metric", w("IteratorAge"))
                .with("threshold", Value::Int(1000)),
        )
        .with_resource(
            Resource::new(Kind::Alarm, None)
                .with("name", s("hand-dlq-{suffix}"))
                .with("on", r("dlq"))
                .with("metric", w("QueueDepth"))
                .with("threshold", Value::Int(1)),
        )
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Stream")).with("value", a("stream", "name")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Archive")).with("value", a("archive", "name")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Secret")).with("value", a("secret", "arn")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Db")).with("value", a("db", "endpoint")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Dlq")).with("value", a("dlq", "url")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Worker")).with("value", a("worker", "name")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Setup")).with("value", a("setup", "name")))
}

/// An IAM-authorized `Api` bound as `api`, with these routes.
fn iam_api(name: &str, routes: Vec<(&str, Value)>) -> Resource {
    Resource::new(Kind::Api, Some("api"))
        .with("name", s(name))
        .with("auth", w("Iam"))
        .with("routes", Value::map(routes))
}

fn edit(stack: &mut Stack, binding: &str, key: &str, value: Option<Value>) {
    let i = stack.find(binding).unwrap_or_else(|| panic!("no {binding}"));
    match value {
        Some(v) => stack.resources[i].set(key, v),
        None => stack.resources[i].remove(key),
    }
}

/// The value of `key`, as the bag holds it.
fn prop<'a>(r: &'a Resource, key: &str) -> Option<&'a Value> {
    r.get(key)
}

fn drop_where(stack: &mut Stack, pred: impl Fn(&Resource) -> bool) {
    let before = stack.resources.len();
    stack.resources.retain(|r| !pred(r));
    assert_eq!(stack.resources.len(), before - 1, "the edit should drop exactly one resource");
}

/// (rule id, what the edit does, the edit).
type Violation = (&'static str, &'static str, Box<dyn Fn(&mut Stack)>);

/// One hand-built violation per rule.
fn violations() -> Vec<Violation> {
    vec![
        (
            "TAP-NAME-001",
            "bucket name without suffix",
            Box::new(|st| edit(st, "archive", "name", Some(s("hand-archive")))),
        ),
        ("TAP-DESTROY-001", "retained stream", Box::new(|st| edit(st, "stream", "removal", Some(w("Retain"))))),
        (
            "TAP-DESTROY-002",
            "bucket not emptied",
            Box::new(|st| edit(st, "archive", "auto_delete_objects", Some(Value::Bool(false)))),
        ),
        (
            "TAP-DESTROY-003",
            "deletion protection",
            Box::new(|st| edit(st, "db", "deletion_protection", Some(Value::Bool(true)))),
        ),
        (
            "TAP-DESTROY-004",
            "backups kept",
            Box::new(|st| edit(st, "db", "backup_retention_days", Some(Value::Int(7)))),
        ),
        (
            "TAP-DESTROY-005",
            "cache snapshots",
            Box::new(|st| {
                st.push(
                    Resource::new(Kind::Cache, Some("cache"))
                        .with("name", s("hand-{suffix}"))
                        .with("engine", w("Redis"))
                        .with("engine_version", s("7.1"))
                        .with("node_type", s("cache.t3.micro"))
                        .with("vpc", r("vpc"))
                        .with("subnets", w("Private"))
                        .with("security_group", r("db_sg"))
                        .with("at_rest_encryption", Value::Bool(true))
                        .with("transit_encryption", Value::Bool(true))
                        .with("snapshot_retention", Value::Int(5)),
                );
                st.push(
                    Resource::new(Kind::Output, None).with("name", s("Cache")).with("value", a("cache", "endpoint")),
                );
            }),
        ),
        (
            "TAP-CODE-001",
            "inline code",
            Box::new(|st| edit(st, "worker", "code", Some(Value::call("Inline", vec![s("print(1)")])))),
        ),
        (
            "TAP-CODE-002",
            "literal password",
            Box::new(|st| {
                let i = st.find("worker").unwrap();
                if let Some(Value::Map(env)) = st.resources[i].get_mut("env") {
                    env.push(("DB_PASSWORD".into(), s("password123")));
                }
            }),
        ),
        ("TAP-CODE-004", "interpreted runtime", Box::new(|st| edit(st, "worker", "runtime", Some(w("Python312"))))),
        (
            "TAP-IAM-001",
            "grant removed",
            Box::new(|st| {
                edit(
                    st,
                    "worker",
                    "grants",
                    Some(Value::List(vec![
                        a("archive", "write"),
                        a("login", "connect"),
                        a("stream", "read"),
                        a("dlq", "send"),
                    ])),
                )
            }),
        ),
        (
            "TAP-IAM-002",
            "wildcard",
            Box::new(|st| {
                let i = st.find("worker").unwrap();
                if let Some(Value::List(g)) = st.resources[i].get_mut("grants") {
                    g.push(Value::call("Raw", vec![Value::List(vec![s("s3:*")]), Value::List(vec![s("*")])]));
                }
            }),
        ),
        (
            "TAP-IAM-004",
            "the worker reads the master password",
            Box::new(|st| {
                let i = st.find("worker").unwrap();
                if let Some(Value::Map(env)) = st.resources[i].get_mut("env") {
                    env.push(("DB_MASTER".into(), a("db", "master_secret")));
                }
                if let Some(Value::List(g)) = st.resources[i].get_mut("grants") {
                    g.push(a("db", "admin"));
                }
            }),
        ),
        ("TAP-NET-001", "not in VPC", Box::new(|st| edit(st, "worker", "subnets", Some(w("Public"))))),
        (
            "TAP-NET-002",
            "no ingress",
            Box::new(|st| drop_where(st, |r| r.kind == "Ingress" && prop(r, "port") == Some(&Value::Int(5432)))),
        ),
        (
            "TAP-NET-004",
            "cache without auth",
            Box::new(|st| {
                st.push(
                    Resource::new(Kind::Cache, Some("cache"))
                        .with("name", s("hand-cache-{suffix}"))
                        .with("engine", w("Redis"))
                        .with("engine_version", s("7.1"))
                        .with("node_type", s("cache.t3.micro"))
                        .with("vpc", r("vpc"))
                        .with("subnets", w("Private"))
                        .with("security_group", r("db_sg"))
                        .with("at_rest_encryption", Value::Bool(true))
                        .with("transit_encryption", Value::Bool(true)),
                );
            }),
        ),
        (
            "TAP-NET-003",
            "no S3 endpoint",
            Box::new(|st| drop_where(st, |r| r.kind == "Endpoint" && prop(r, "service") == Some(&w("S3")))),
        ),
        (
            "TAP-ESM-001",
            "no bisect",
            Box::new(|st| {
                let i = st.resources.iter().position(|r| r.kind == "EventSource").unwrap();
                st.resources[i].remove("bisect_on_error");
            }),
        ),
        (
            "TAP-API-001",
            "a route to a function that outlasts the API",
            Box::new(|st| {
                edit(st, "worker", "timeout_seconds", Some(Value::Int(60)));
                st.push(iam_api("hand-api-{suffix}", vec![("GET /archive", r("worker"))]));
            }),
        ),
        (
            "TAP-API-001",
            "a raw integration that waits less than its function runs",
            Box::new(|st| {
                edit(st, "worker", "timeout_seconds", Some(Value::Int(60)));
                st.push(iam_api("hand-api-{suffix}", vec![]));
                st.push(
                    Resource::new("AWS::ApiGatewayV2::Integration", None)
                        .with("ApiId", r("api"))
                        .with("IntegrationType", s("AWS_PROXY"))
                        .with("IntegrationUri", a("worker", "arn"))
                        .with("PayloadFormatVersion", s("2.0")),
                );
            }),
        ),
        (
            "TAP-PUBLIC-002",
            "a raw route with no authorization",
            Box::new(|st| {
                st.push(iam_api("hand-api-{suffix}", vec![]));
                st.push(
                    Resource::new("AWS::ApiGatewayV2::Route", None)
                        .with("ApiId", r("api"))
                        .with("RouteKey", s("GET /open")),
                );
            }),
        ),
        (
            "TAP-ASYNC-001",
            "a scheduled function that drops what fails",
            Box::new(|st| {
                st.push(
                    Resource::new(Kind::Schedule, Some("nightly"))
                        .with("name", s("hand-nightly-{suffix}"))
                        .with("expression", s("cron(0 3 * * ? *)"))
                        .with("target", r("worker"))
                        .with("retries", Value::Int(3))
                        .with("dead_letter", r("dlq")),
                );
            }),
        ),
        ("TAP-DATA-001", "no expiry", Box::new(|st| edit(st, "archive", "expire_after_days", None))),
        ("TAP-DATA-002", "no schema", Box::new(|st| edit(st, "db", "schema", None))),
        (
            "TAP-OUT-001",
            "no output",
            Box::new(|st| drop_where(st, |r| r.kind == "Output" && prop(r, "name") == Some(&s("Db")))),
        ),
        ("TAP-ENC-001", "unencrypted queue", Box::new(|st| edit(st, "dlq", "encryption", Some(w("None"))))),
        (
            "TAP-OBS-001",
            "no alarm",
            Box::new(|st| drop_where(st, |r| r.kind == "Alarm" && prop(r, "metric") == Some(&w("QueueDepth")))),
        ),
        (
            "TAP-PUBLIC-001",
            "bucket policy open to anyone",
            Box::new(|st| {
                let statement = Value::map(vec![
                    ("Effect", s("Allow")),
                    ("Principal", s("*")),
                    ("Action", s("s3:GetObject")),
                    ("Resource", s("arn:aws:s3:::hand-archive-{suffix}/*")),
                ]);
                st.push(
                    Resource::new("AWS::S3::BucketPolicy", None)
                        .with("Bucket", r("archive"))
                        .with("PolicyDocument", Value::map(vec![("Statement", Value::List(vec![statement]))])),
                );
            }),
        ),
        (
            "TAP-PUBLIC-002",
            "function URL without auth",
            Box::new(|st| {
                st.push(
                    Resource::new("AWS::Lambda::Url", None)
                        .with("TargetFunctionArn", a("worker", "arn"))
                        .with("AuthType", s("NONE")),
                );
            }),
        ),
        ("TAP-VER-001", "deprecated engine", Box::new(|st| edit(st, "db", "engine_version", Some(s("16.4"))))),
        (
            "TAP-ENC-001",
            "raw cluster unencrypted",
            Box::new(|st| {
                st.push(
                    Resource::new("AWS::RDS::DBCluster", None)
                        .with("Engine", s("aurora-postgresql"))
                        .with("MasterUsername", s("postgres"))
                        .with("ManageMasterUserPassword", Value::Bool(true)),
                );
            }),
        ),
    ]
}

/// A raw resource that holds data follows the lifecycle like a kind: what it leaves out,
/// tap writes for each lifecycle (and a malformed value in it hides no other finding).
/// A rule id, what the edit does, and the edit of a passing stack that breaks the rule.
type Case = (&'static str, &'static str, Box<dyn Fn(&mut Stack)>);

#[test]
fn raw_data_follows_the_lifecycle_and_is_judged_in_one_pass() {
    let cluster = Resource::new("AWS::RDS::DBCluster", Some("aurora"))
        .with("DBClusterIdentifier", s("hand-aurora-{suffix}"))
        .with("Engine", s("aurora-postgresql"))
        .with("EngineVersion", s("17.4"))
        .with("MasterUsername", s("postgres"))
        .with("ManageMasterUserPassword", Value::Bool(true))
        .with("StorageEncrypted", Value::Bool(true));
    let stack = Stack::new("RawData")
        .with_lifecycles(["Ephemeral", "Durable"])
        .with_durable_suffixes(&["prod"])
        .with_resource(cluster.clone());
    let all = stack.synth_all().unwrap_or_else(|f| panic!("{f}"));
    let props = |n: usize| all[n].1 .0["Resources"]["Aurora"].clone();
    let (ephemeral, durable) = (props(0), props(1));
    assert_eq!(
        (ephemeral["DeletionPolicy"].as_str(), durable["DeletionPolicy"].as_str()),
        (Some("Delete"), Some("Retain"))
    );
    assert_eq!(ephemeral["Properties"]["DeletionProtection"], false);
    assert_eq!(ephemeral["Properties"]["BackupRetentionPeriod"], 1, "the least a cluster accepts");
    assert_eq!(durable["Properties"]["DeletionProtection"], true);
    assert_eq!(durable["Properties"]["BackupRetentionPeriod"], 7);
    // The delete plans say so, as they do of a kind's data.
    let why = |n: usize| all[n].2.entries.iter().find(|e| e.logical_id == "Aurora").map(|e| e.why.clone());
    assert_eq!(
        (why(0).as_deref(), why(1).as_deref()),
        (Some("ephemeral: its data goes with the stack"), Some("durable: kept with its data"))
    );
    // Written, it contradicts one lifecycle of the two; and a value its schema refuses is
    // reported beside every other finding of the same resource.
    let wrong =
        Stack::new("RawData").with_lifecycles(["Ephemeral", "Durable"]).with_durable_suffixes(&["prod"]).with_resource(
            cluster
                .with("DeletionProtection", Value::Bool(true))
                .with("BackupRetentionPeriod", s("seven"))
                .with("PubliclyAccessible", Value::Bool(true)),
        );
    let ids = wrong.synth().unwrap_err().ids();
    assert_eq!(ids, vec!["TAP-DSL-003", "TAP-DESTROY-003", "TAP-PUBLIC-002"], "{ids:?}");
}

#[test]
fn the_hand_built_base_passes() {
    let t = base().synth().unwrap_or_else(|f| panic!("{f}"));
    assert!(t.0["Resources"]["Worker"]["Properties"]["VpcConfig"].is_object());
}

#[test]
fn every_rule_rejects_a_hand_built_stack() {
    let cases = violations();
    for rule in tap::rules::ALL {
        // The durable rules' hand-built cases are in the_durable_rules_reject_...
        if rule.id.starts_with("TAP-KEEP-") {
            continue;
        }
        assert!(cases.iter().any(|(id, _, _)| *id == rule.id), "no hand-built case for {}", rule.id);
    }
    for (id, what, mutate) in cases {
        let mut stack = base();
        mutate(&mut stack);
        match stack.synth() {
            Ok(_) => panic!("{what}: synth accepted a stack that breaks {id}"),
            Err(findings) => assert!(findings.ids().contains(&id), "{what}: expected {id}, got:\n{findings}"),
        }
    }
}

#[test]
fn malformed_hand_built_stacks_are_reported_not_panicked() {
    let mut stack = base();
    edit(&mut stack, "worker", "vpc", Some(r("nowhere")));
    edit(&mut stack, "archive", "removel", Some(w("Destroy")));
    edit(&mut stack, "stream", "shards", Some(s("two")));
    let findings = stack.synth().unwrap_err();
    // Reported in declaration order: the stream, the bucket, then the function.
    assert_eq!(findings.ids(), vec!["TAP-DSL-003", "TAP-DSL-002", "TAP-DSL-005"], "{findings}");
    assert!(findings.to_string().contains("did you mean `removal`"));
}

#[test]
fn every_rule_documents_itself() {
    let mut ids = std::collections::HashSet::new();
    for rule in tap::rules::ALL {
        assert!(ids.insert(rule.id), "duplicate id {}", rule.id);
        let parts: Vec<&str> = rule.id.split('-').collect();
        assert!(parts.len() == 3 && parts[0] == "TAP" && parts[2].len() == 3, "{}", rule.id);
        assert!(
            !rule.title.is_empty() && !rule.mistake.is_empty() && rule.explanation.len() > 80 && !rule.fix.is_empty(),
            "{}",
            rule.id
        );
    }
}

/// The seed mistakes a rule names in its `mistake` ("seed mistakes 2, 4 and 7: ..." -> 2, 4, 7).
/// A rule may prevent no seed mistake at all (one added for a new kind, say).
fn seed_mistakes(mistake: &str) -> Vec<u32> {
    let Some(rest) = mistake.strip_prefix("seed mistakes ").or_else(|| mistake.strip_prefix("seed mistake ")) else {
        return Vec::new();
    };
    let list = rest.split(':').next().unwrap_or_default();
    list.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect()
}

#[test]
fn every_documented_stack_mistake_has_a_rule() {
    // 12, 13 and 20 are mistakes of the handler's code: the handler contract's type errors
    // (tests/contract/ui) prevent them; 12 is also TAP-CODE-002 on the stack's `env`.
    let named: std::collections::BTreeSet<u32> =
        tap::rules::ALL.iter().flat_map(|r| seed_mistakes(r.mistake)).collect();
    let missing: Vec<u32> = (1..=20).filter(|n| ![13, 20].contains(n) && !named.contains(n)).collect();
    assert!(missing.is_empty(), "seed mistakes no rule names: {missing:?}");
    assert_eq!(seed_mistakes("seed mistakes 2, 4 and 7: RETAIN"), vec![2, 4, 7]);
    assert_eq!(seed_mistakes("a rule of tap's own"), Vec::<u32>::new());
}

/// The table and topic kinds through the plain API: an orders service built by hand.
fn orders() -> Stack {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/fixtures");
    Stack::new("HandOrders")
        .with_root(root)
        .with_resource(
            Resource::new(Kind::Table, Some("orders"))
                .with("name", s("hand-orders-{suffix}"))
                .with("partition_key", s("order_id"))
                .with("encryption", w("Kms"))
                .with("removal", w("Destroy")),
        )
        .with_resource(
            Resource::new(Kind::Topic, Some("events"))
                .with("name", s("hand-events-{suffix}"))
                .with("encryption", w("Kms"))
                .with("enforce_tls", Value::Bool(true)),
        )
        .with_resource(
            Resource::new(Kind::Function, Some("writer"))
                .with("name", s("hand-writer-{suffix}"))
                .with("code", Value::call("Dir", vec![s("lambda")]))
                .with("runtime", w("ProvidedAl2023"))
                .with("env", Value::map(vec![("ORDERS", a("orders", "name")), ("EVENTS", a("events", "arn"))]))
                .with("grants", Value::List(vec![a("orders", "read_write"), a("events", "publish")])),
        )
        .with_resource(
            Resource::new(Kind::LogGroup, None).with("function", r("writer")).with("retention_days", Value::Int(7)),
        )
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Orders")).with("value", a("orders", "name")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Events")).with("value", a("events", "arn")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Writer")).with("value", a("writer", "name")))
}

#[test]
fn the_hand_built_orders_stack_passes_and_synthesises_both_kinds() {
    let t = orders().synth().unwrap_or_else(|f| panic!("{f}")).0;
    assert_eq!(t["Resources"]["Orders"]["Type"], "AWS::DynamoDB::Table");
    assert_eq!(t["Resources"]["Events"]["Type"], "AWS::SNS::Topic");
    // read_write on a table also names its indexes, for queries.
    let statement = &t["Resources"]["WriterRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        statement["Resource"][1],
        serde_json::json!({ "Fn::Join": ["", [{ "Fn::GetAtt": ["Orders", "Arn"] }, "/index/*"]] })
    );
}

#[test]
fn the_rules_reach_tables_and_topics() {
    let cases: Vec<Case> = vec![
        (
            "TAP-NAME-001",
            "table name without suffix",
            Box::new(|st| edit(st, "orders", "name", Some(s("hand-orders")))),
        ),
        ("TAP-DESTROY-001", "retained table", Box::new(|st| edit(st, "orders", "removal", Some(w("Retain"))))),
        (
            "TAP-DESTROY-003",
            "table deletion protection",
            Box::new(|st| edit(st, "orders", "deletion_protection", Some(Value::Bool(true)))),
        ),
        (
            "TAP-DESTROY-004",
            "table point-in-time recovery",
            Box::new(|st| edit(st, "orders", "point_in_time_recovery", Some(Value::Bool(true)))),
        ),
        (
            "TAP-ENC-001",
            "table on the AWS-owned key",
            Box::new(|st| edit(st, "orders", "encryption", Some(w("AwsOwned")))),
        ),
        ("TAP-ENC-001", "topic without TLS", Box::new(|st| edit(st, "events", "enforce_tls", None))),
        (
            "TAP-IAM-001",
            "publish not granted",
            Box::new(|st| edit(st, "writer", "grants", Some(Value::List(vec![a("orders", "write")])))),
        ),
        (
            "TAP-IAM-002",
            "topic granted, never referenced",
            Box::new(|st| {
                edit(st, "writer", "env", Some(Value::map(vec![("ORDERS", a("orders", "name"))])));
            }),
        ),
        (
            "TAP-OUT-001",
            "table not exported",
            Box::new(|st| drop_where(st, |r| r.kind == "Output" && prop(r, "name") == Some(&s("Orders")))),
        ),
    ];
    for (id, what, mutate) in cases {
        let mut stack = orders();
        mutate(&mut stack);
        match stack.synth() {
            Ok(_) => panic!("{what}: synth accepted a stack that breaks {id}"),
            Err(findings) => assert!(findings.ids().contains(&id), "{what}: expected {id}, got:\n{findings}"),
        }
    }
}

/// A private function that writes to a table needs the DynamoDB gateway endpoint (or NAT):
/// the service comes from the table kind's own definition.
#[test]
fn a_private_function_needs_a_route_to_dynamodb() {
    let mut stack = base();
    stack.push(
        Resource::new(Kind::Table, Some("orders"))
            .with("name", s("hand-orders-{suffix}"))
            .with("partition_key", s("id"))
            .with("encryption", w("Kms")),
    );
    stack.push(Resource::new(Kind::Output, None).with("name", s("Orders")).with("value", a("orders", "name")));
    let i = stack.find("worker").unwrap();
    if let Some(Value::Map(env)) = stack.resources[i].get_mut("env") {
        env.push(("ORDERS".into(), a("orders", "name")));
    }
    if let Some(Value::List(g)) = stack.resources[i].get_mut("grants") {
        g.push(a("orders", "write"));
    }
    let findings = stack.clone().synth().unwrap_err();
    assert_eq!(findings.ids(), vec!["TAP-NET-003"], "{findings}");
    assert!(findings.to_string().contains("service: DynamoDb"), "{findings}");
    stack.push(Resource::new(Kind::Endpoint, None).with("vpc", r("vpc")).with("service", w("DynamoDb")));
    let t = stack.synth().unwrap_or_else(|f| panic!("{f}")).0;
    assert_eq!(t["Resources"]["VpcDynamoDbEndpoint"]["Properties"]["VpcEndpointType"], "Gateway");
}

/// The plain API reports what the DSL reports: a property set twice, an unknown kind.
#[test]
fn the_plain_api_gets_the_same_malformed_input_errors() {
    let mut stack = base();
    let i = stack.find("archive").unwrap();
    stack.resources[i].props.push(("removal".into(), w("Retain")));
    stack.push(Resource::new("Tabl", Some("t")).with("name", s("t-{suffix}")));
    let findings = stack.synth().unwrap_err();
    assert_eq!(findings.ids(), vec!["TAP-DSL-004", "TAP-DSL-001"], "{findings}");
    assert!(findings.to_string().contains("property `removal` is set twice"));
    assert!(findings.to_string().contains("did you mean `Table`?"));
}

/// The hand-built base, deployed both ways: lifecycle-dependent settings left to tap.
fn two_lifecycles() -> Stack {
    let mut stack =
        base().with_lifecycles([Lifecycle::Ephemeral, Lifecycle::Durable]).with_durable_suffixes(&["prod", "staging"]);
    for r in &mut stack.resources {
        r.remove("removal");
        r.remove("auto_delete_objects");
    }
    stack
}

#[test]
fn a_two_lifecycle_stack_gets_a_template_and_a_delete_plan_per_lifecycle() {
    let all = two_lifecycles().synth_all().unwrap_or_else(|f| panic!("{f}"));
    let lifecycles: Vec<Lifecycle> = all.iter().map(|(l, ..)| *l).collect();
    assert_eq!(lifecycles, [Lifecycle::Ephemeral, Lifecycle::Durable]);
    let (_, ephemeral, ephemeral_plan) = &all[0];
    let (_, durable, durable_plan) = &all[1];
    let policy =
        |t: &tap::Template, id: &str| t.0["Resources"][id]["DeletionPolicy"].as_str().unwrap_or("(none)").to_owned();
    // Ephemeral: everything goes, the bucket is emptied first, no backups.
    for id in ["Stream", "Archive", "Secret", "DbPostgresqlLogs", "DbUpgradeLogs", "Db", "Dlq", "WorkerLogGroup"] {
        assert_eq!(policy(ephemeral, id), "Delete", "{id}");
    }
    assert!(ephemeral.0["Resources"]["ArchiveAutoDeleteObjects"].is_object());
    assert_eq!(ephemeral.0["Resources"]["Db"]["Properties"]["BackupRetentionPeriod"], 0);
    assert_eq!(ephemeral_plan.summary.delete, ephemeral_plan.entries.len());
    // Durable: data survives delete and replacement; derived, never written.
    assert_eq!(policy(durable, "Db"), "Snapshot");
    assert_eq!(durable.0["Resources"]["Db"]["UpdateReplacePolicy"], "Snapshot");
    for id in ["Stream", "Archive", "Secret", "Dlq", "WorkerLogGroup"] {
        assert_eq!(policy(durable, id), "Retain", "{id}");
    }
    let db = &durable.0["Resources"]["Db"]["Properties"];
    assert_eq!(
        (
            db["DeletionProtection"].as_bool(),
            db["BackupRetentionPeriod"].as_i64(),
            db["DeleteAutomatedBackups"].as_bool()
        ),
        (Some(true), Some(7), Some(false))
    );
    assert_eq!(durable.0["Resources"]["Archive"]["Properties"]["VersioningConfiguration"]["Status"], "Enabled");
    assert!(durable.0["Resources"].get("ArchiveAutoDeleteObjects").is_none(), "a kept bucket is never emptied");
    // The durable template accepts only the durable suffixes; the ephemeral one refuses them.
    assert_eq!(durable.0["Parameters"]["EnvironmentSuffix"]["AllowedValues"], serde_json::json!(["prod", "staging"]));
    assert_eq!(ephemeral.0["Parameters"]["EnvironmentSuffix"]["AllowedPattern"], "^(?!(prod|staging)$)[a-z0-9]{1,12}$");
    // The plan names what is kept and what blocks a redeploy with the same suffix.
    let kept: Vec<&str> = durable_plan
        .entries
        .iter()
        .filter(|e| e.action != tap::cfn::DeletionPolicy::Delete)
        .map(|e| e.logical_id.as_str())
        .collect();
    assert_eq!(
        kept,
        [
            "Stream",
            "Archive",
            "ArchiveAccessLogs",
            "Secret",
            "DbPostgresqlLogs",
            "DbUpgradeLogs",
            "Db",
            "SetupLogGroup",
            "Dlq",
            "WorkerLogGroup"
        ]
    );
    let archive = durable_plan.entries.iter().find(|e| e.logical_id == "Archive").unwrap();
    assert_eq!(
        (archive.physical_name.as_deref(), archive.blocks_redeploy),
        (Some("hand-archive-${EnvironmentSuffix}"), true)
    );
    let db = durable_plan.entries.iter().find(|e| e.logical_id == "Db").unwrap();
    assert!(!db.blocks_redeploy, "a snapshotted instance frees its name");
    assert!(durable_plan.to_markdown().contains("Redeploying the same suffix is blocked"));
}

#[test]
fn a_disposable_resource_is_deleted_even_when_durable_and_the_plan_says_why() {
    let mut stack = two_lifecycles();
    let i = stack.find("dlq").unwrap();
    stack.resources[i].set("disposable", s("failed batches are replayed from the stream"));
    let all = stack.synth_all().unwrap_or_else(|f| panic!("{f}"));
    let (_, durable, plan) = &all[1];
    assert_eq!(durable.0["Resources"]["Dlq"]["DeletionPolicy"], "Delete");
    let dlq = plan.entries.iter().find(|e| e.logical_id == "Dlq").unwrap();
    assert_eq!(dlq.why, "disposable: failed batches are replayed from the stream");
}

#[test]
fn the_durable_rules_reject_what_contradicts_the_durable_lifecycle() {
    let cases: Vec<Case> = vec![
        ("TAP-KEEP-001", "stream destroyed", Box::new(|st| edit(st, "stream", "removal", Some(w("Destroy"))))),
        (
            "TAP-KEEP-002",
            "protection off",
            Box::new(|st| edit(st, "db", "deletion_protection", Some(Value::Bool(false)))),
        ),
        (
            "TAP-KEEP-003",
            "one day of backups",
            Box::new(|st| edit(st, "db", "backup_retention_days", Some(Value::Int(1)))),
        ),
        (
            "TAP-KEEP-004",
            "bucket not versioned",
            Box::new(|st| edit(st, "archive", "versioned", Some(Value::Bool(false)))),
        ),
        // The ephemeral side still holds in a stack of both.
        ("TAP-DESTROY-001", "stream retained", Box::new(|st| edit(st, "stream", "removal", Some(w("Retain"))))),
        (
            "TAP-DESTROY-002",
            "bucket not emptied",
            Box::new(|st| edit(st, "archive", "auto_delete_objects", Some(Value::Bool(false)))),
        ),
    ];
    for (id, what, mutate) in cases {
        let mut stack = two_lifecycles();
        mutate(&mut stack);
        match stack.synth() {
            Ok(_) => panic!("{what}: synth accepted a stack that breaks {id}"),
            Err(findings) => assert!(findings.ids().contains(&id), "{what}: expected {id}, got:\n{findings}"),
        }
    }
    // And nothing durable is asked of an ephemeral-only stack: the base writes Destroy.
    assert!(base().synth().is_ok());
}

#[test]
fn lifecycle_declarations_are_checked() {
    let bad = [
        (base().with_lifecycles(["Durable"]), "TAP-DSL-007"),
        (base().with_lifecycles(["Ephemeral", "Ephemeral"]), "TAP-DSL-004"),
        (base().with_durable_suffixes(&["prod"]), "TAP-DSL-003"),
        (two_lifecycles().with_durable_suffixes(&["Prod!"]), "TAP-DSL-003"),
    ];
    // The declaration's own error, once; the rules still judge the stack in the same pass
    // (a durable-only base with `removal: Destroy` also breaks TAP-KEEP-001).
    for (stack, id) in bad {
        let findings = stack.synth().unwrap_err();
        let malformed: Vec<&str> = findings.ids().into_iter().filter(|i| i.starts_with("TAP-DSL-")).collect();
        assert_eq!(malformed, vec![id], "{findings}");
        assert_eq!(findings.0[0].id, id, "malformed input comes first:\n{findings}");
    }
}

/// In a raw string, `{{text}}` is the literal `{text}`, even when a binding has that name;
/// `{binding}` is the binding's reference.
#[test]
fn a_doubled_brace_in_a_raw_string_is_text() {
    let stack = Stack::new("Braces")
        .with_resource(
            Resource::new(Kind::Queue, Some("source"))
                .with("name", s("braces-{suffix}"))
                .with("encryption", w("SqsManaged"))
                .with("removal", w("Destroy")),
        )
        .with_resource(iam_api("braces-{suffix}", vec![]))
        .with_resource(
            Resource::new("AWS::ApiGatewayV2::Route", Some("route"))
                .with("ApiId", r("api"))
                .with("RouteKey", s("POST /webhooks/{{source}}"))
                .with("AuthorizationType", s("AWS_IAM")),
        )
        .with_resource(
            Resource::new("AWS::ApiGatewayV2::Integration", Some("integration"))
                .with("ApiId", r("api"))
                .with("IntegrationType", s("HTTP_PROXY"))
                .with("IntegrationMethod", s("POST"))
                .with("IntegrationUri", s("https://example.com/{{source}}/{source}"))
                .with("PayloadFormatVersion", s("1.0")),
        )
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Url")).with("value", a("api", "url")))
        .with_resource(Resource::new(Kind::Output, None).with("name", s("Queue")).with("value", a("source", "url")));
    let t = stack.synth().unwrap_or_else(|f| panic!("{f}")).0;
    assert_eq!(t["Resources"]["Route"]["Properties"]["RouteKey"], "POST /webhooks/{source}");
    assert_eq!(
        t["Resources"]["Integration"]["Properties"]["IntegrationUri"],
        serde_json::json!({ "Fn::Sub": "https://example.com/{source}/${Source}" })
    );
}

/// An unbound raw resource's logical id comes from its type and the bindings it names, so
/// neither an edit nor another resource coming or going renames it; two that would share an
/// id are told to take a binding.
#[test]
fn unbound_raw_resources_are_named_by_what_they_name() {
    let permission = |api: &str| {
        Resource::new("AWS::Lambda::Permission", None)
            .with("Action", s("lambda:InvokeFunction"))
            .with("FunctionName", a("worker", "arn"))
            .with("Principal", s("apigateway.amazonaws.com"))
            .with(
                "SourceArn",
                s(&format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:{api}/*")),
            )
    };
    let ids = |st: &Stack| -> Vec<String> {
        let t = st.synth().unwrap_or_else(|f| panic!("{f}")).0;
        t["Resources"].as_object().unwrap().keys().filter(|k| k.starts_with("LambdaPermission")).cloned().collect()
    };
    let mut one = base();
    one.push(permission("first"));
    let mut edited = base();
    edited.push(permission("edited"));
    assert_eq!(ids(&one), ["LambdaPermissionWorker"]);
    assert_eq!(ids(&edited), ["LambdaPermissionWorker"], "an edit keeps the id");
    let mut twins = base();
    twins.push(permission("first"));
    twins.push(permission("second"));
    let findings = twins.synth().unwrap_err();
    assert_eq!(findings.ids(), ["TAP-DSL-004"], "{findings}");
    assert!(findings.to_string().contains("bind it"), "{findings}");
}
