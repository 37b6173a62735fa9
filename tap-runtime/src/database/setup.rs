//! The database's setup function: the CloudFormation custom resource each `DatabaseUser`
//! is (`Custom::DatabaseUser`). It is the only code that logs in as the master user, whose
//! password RDS generates and rotates in a secret only this function may read
//! (`database.admin`, TAP-IAM-004).
//!
//! - **Create / Update**: applies the schema (idempotent, TAP-DATA-002), then makes the user
//!   exist with exactly its `access` to the tables and sequences of the `public` schema, now
//!   and for tables created later, and `rds_iam` (it logs in with IAM tokens and has no
//!   password). Everything runs in one transaction under an advisory lock, so two users set
//!   up at once do not race and a failure changes nothing. The physical id is the user's
//!   name, so renaming a user replaces it and CloudFormation deletes the old one after.
//! - **Delete**: revokes what setup granted and drops the user, unless the database is kept
//!   (`DropOnDelete` false: a kept database keeps its users, like its data). A database that
//!   cannot be reached is reported, not failed on: a delete never blocks the stack's.
//!
//! The response goes to CloudFormation's presigned URL ([`respond`]); a failure reports the
//! reason, which `cargo tap deploy` and the console show.
//!
//! An app's setup binary is one call: `tap::database::setup::run(SCHEMA, &env.db_master_secret_arn)`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use aws_lambda_events::event::cloudformation::{
    CloudFormationCustomResourceRequest, CloudFormationCustomResourceResponse,
    CloudFormationCustomResourceResponseStatus as ResponseStatus,
};
use serde_json::{json, Value};

use super::{connect, Credentials, DbError, Login, Target};
/// A user's access to the schema's tables: the DSL's `access:`, sent as its word.
pub use tap_core::kinds::database_user::Access;

/// How the user proves who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserAuth {
    /// `rds_iam` and no password: IAM tokens only (every deployed user).
    Iam,
    /// A password and no `rds_iam`: a local PostgreSQL, which cannot check IAM tokens.
    Password(String),
}

/// What a `DatabaseUser` custom resource asks for (its `ResourceProperties`; CloudFormation
/// passes every value as a string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSpec {
    pub endpoint: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub access: Access,
    pub drop_on_delete: bool,
}

impl UserSpec {
    /// Reads and checks the properties; the error is the reason CloudFormation shows.
    pub fn from_properties(p: &Value) -> Result<UserSpec, String> {
        let text = |k: &str| -> Result<String, String> {
            match p.get(k) {
                Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                Some(Value::Bool(b)) => Ok(b.to_string()),
                _ => Err(format!("property {k} is missing or empty")),
            }
        };
        let port = text("Port")?.parse::<u16>().map_err(|e| format!("property Port is not a port: {e}"))?;
        let user = text("User")?;
        // Checked again here ([`tap_core::sql::is_role_name`], as the kind does at compile
        // time): the event is the SQL's input.
        if !tap_core::sql::is_role_name(&user) {
            return Err(format!("`{user}` is not a role name tap accepts (lowercase letters, digits and `_`)"));
        }
        let access = text("Access")?;
        let access = Access::from_word(&access)
            .ok_or_else(|| format!("property Access is `{access}`, not {}", Access::WORDS.join(" or ")))?;
        let drop_on_delete = match text("DropOnDelete")?.as_str() {
            "true" => true,
            "false" => false,
            other => return Err(format!("property DropOnDelete is `{other}`, not true or false")),
        };
        Ok(UserSpec {
            endpoint: text("Endpoint")?,
            port,
            database: text("DatabaseName")?,
            user,
            access,
            drop_on_delete,
        })
    }
}

/// A quoted identifier (`"products"`), with quotes inside doubled.
fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `'text'`, with quotes inside doubled.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The statements that revoke everything setup grants `user` (before granting again, and
/// before dropping it).
fn revoke_sql(user: &str, database: &str) -> String {
    let u = ident(user);
    format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {u};\n\
         REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {u};\n\
         REVOKE ALL ON SCHEMA public FROM {u};\n\
         REVOKE ALL ON DATABASE {} FROM {u};\n",
        ident(database)
    )
}

/// The whole Create/Update transaction: the schema, then the user with exactly `access`.
pub fn create_sql(schema: &str, spec: &UserSpec, auth: &UserAuth) -> String {
    let u = ident(&spec.user);
    let (tables, sequences) = match spec.access {
        Access::ReadWrite => ("SELECT, INSERT, UPDATE, DELETE", "USAGE, SELECT"),
        Access::ReadOnly => ("SELECT", "SELECT"),
    };
    let login = match auth {
        UserAuth::Iam => format!("ALTER ROLE {u} PASSWORD NULL;\nGRANT rds_iam TO {u};\n"),
        UserAuth::Password(p) => format!("ALTER ROLE {u} PASSWORD {};\n", literal(p)),
    };
    format!(
        "BEGIN;\n\
         SELECT pg_advisory_xact_lock(hashtext('tap:database-setup'));\n\
         {schema}\n\
         DO $tap$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN CREATE ROLE {u} LOGIN; END IF;\nEND $tap$;\n\
         ALTER ROLE {u} LOGIN;\n\
         {login}\
         {revoke}\
         GRANT CONNECT ON DATABASE {db} TO {u};\n\
         GRANT USAGE ON SCHEMA public TO {u};\n\
         GRANT {tables} ON ALL TABLES IN SCHEMA public TO {u};\n\
         GRANT {sequences} ON ALL SEQUENCES IN SCHEMA public TO {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {tables} ON TABLES TO {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {sequences} ON SEQUENCES TO {u};\n\
         COMMIT;",
        name = literal(&spec.user),
        revoke = revoke_sql(&spec.user, &spec.database),
        db = ident(&spec.database),
    )
}

/// The Delete transaction: everything granted revoked, then the user dropped (run when
/// the user exists).
pub fn drop_sql(spec: &UserSpec) -> String {
    format!(
        "BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('tap:database-setup'));\n{}DROP ROLE {};\nCOMMIT;",
        revoke_sql(&spec.user, &spec.database),
        ident(&spec.user)
    )
}

/// Reads the master user's credentials (the secret RDS keeps): at each login, so a rotation
/// between deploys is picked up.
pub type MasterFuture = Pin<Box<dyn Future<Output = Result<Credentials, DbError>> + Send>>;

/// The setup function's state: the schema it applies, how the master logs in, and how
/// the users it creates log in.
#[derive(Clone)]
pub struct Setup {
    schema: &'static str,
    master: Arc<dyn Fn() -> MasterFuture + Send + Sync>,
    auth: UserAuth,
}

/// A custom-resource request as CloudFormation sends it (Create, Update or Delete), with the
/// properties left as JSON: [`UserSpec::from_properties`] checks them, so a malformed one is
/// a FAILED response naming the property rather than an event that does not parse.
pub type Request = CloudFormationCustomResourceRequest<Value, Value>;

/// What CloudFormation reads at the response URL.
pub type Response = CloudFormationCustomResourceResponse;

/// What every request carries, whatever its type.
struct Common<'a> {
    stack_id: &'a str,
    request_id: &'a str,
    logical_id: &'a str,
    response_url: &'a str,
    /// The physical id CloudFormation has (Update and Delete).
    physical_id: Option<&'a str>,
}

fn common(request: &Request) -> Common<'_> {
    use CloudFormationCustomResourceRequest::{Create, Delete, Update};
    match request {
        Create(r) => Common {
            stack_id: &r.stack_id,
            request_id: &r.request_id,
            logical_id: &r.logical_resource_id,
            response_url: &r.response_url,
            physical_id: None,
        },
        Update(r) => Common {
            stack_id: &r.stack_id,
            request_id: &r.request_id,
            logical_id: &r.logical_resource_id,
            response_url: &r.response_url,
            physical_id: Some(&r.physical_resource_id),
        },
        Delete(r) => Common {
            stack_id: &r.stack_id,
            request_id: &r.request_id,
            logical_id: &r.logical_resource_id,
            response_url: &r.response_url,
            physical_id: Some(&r.physical_resource_id),
        },
        // The type is `non_exhaustive`: a request type a later CloudFormation adds has no
        // fields this version knows, and is answered FAILED by `handle`.
        _ => Common { stack_id: "", request_id: "", logical_id: "", response_url: "", physical_id: None },
    }
}

/// How a request ended: what CloudFormation is told.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub success: bool,
    pub reason: String,
    pub physical_id: String,
    /// Values the template can read with `Fn::GetAtt` (CloudFormation takes strings only).
    pub data: HashMap<String, String>,
}

impl Outcome {
    /// Succeeded, with nothing to tell the template (`reason` is for the events and logs).
    fn done(physical_id: String, reason: impl Into<String>) -> Outcome {
        Outcome { success: true, reason: reason.into(), physical_id, data: HashMap::new() }
    }
    fn failed(physical_id: String, reason: impl Into<String>) -> Outcome {
        Outcome { success: false, reason: reason.into(), physical_id, data: HashMap::new() }
    }
}

impl Setup {
    pub fn new<F, Fut>(schema: &'static str, auth: UserAuth, master: F) -> Setup
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Credentials, DbError>> + Send + 'static,
    {
        Setup { schema, master: Arc::new(move || Box::pin(master())), auth }
    }

    async fn master_session(&self, spec: &UserSpec) -> Result<tokio_postgres::Client, DbError> {
        let creds = (self.master)().await?;
        let target = Target {
            host: spec.endpoint.clone(),
            port: spec.port,
            dbname: spec.database.clone(),
            user: creds.username().to_owned(),
        };
        let master = self.master.clone();
        connect(&target, &Login::from_credentials(move || master()), "tap-database-setup").await
    }

    /// One custom resource request.
    pub async fn handle(&self, request: &Request) -> Outcome {
        use CloudFormationCustomResourceRequest::{Create, Delete, Update};
        let (is_delete, properties) = match request {
            Create(r) => (false, &r.resource_properties),
            Update(r) => (false, &r.resource_properties),
            Delete(r) => (true, &r.resource_properties),
            _ => return Outcome::failed("not-created-unknown".into(), "a request type this setup does not know"),
        };
        let common = common(request);
        // Before anything is known, the physical id is the one CloudFormation has, or a
        // stand-in it can delete without effect.
        let previous = common.physical_id.map(str::to_owned);
        let fallback = previous.clone().unwrap_or_else(|| format!("not-created-{}", common.request_id));
        let spec = match UserSpec::from_properties(properties) {
            Ok(s) => s,
            // A delete of something never created (or created by a different version) must
            // not block the stack's deletion.
            Err(e) if is_delete => return Outcome::done(fallback, format!("nothing to delete: {e}")),
            Err(e) => return Outcome::failed(fallback, e),
        };
        if is_delete {
            return self.delete(spec, previous.unwrap_or_default(), fallback).await;
        }
        let sql = create_sql(self.schema, &spec, &self.auth);
        let result = async {
            self.master_session(&spec)
                .await?
                .batch_execute(&sql)
                .await
                .map_err(|e| DbError::new("apply schema and user", &e))
        }
        .await;
        match result {
            Ok(()) => Outcome {
                success: true,
                reason: String::new(),
                physical_id: spec.user.clone(),
                data: HashMap::from([("User".to_owned(), spec.user.clone())]),
            },
            Err(e) => Outcome::failed(previous.unwrap_or(spec.user.clone()), e.to_string()),
        }
    }

    /// A Delete: `user` is the physical id, the name to drop (a replaced user's old name).
    async fn delete(&self, spec: UserSpec, user: String, fallback: String) -> Outcome {
        if !tap_core::sql::is_role_name(&user) {
            return Outcome::done(fallback, format!("`{user}` was never created"));
        }
        if !spec.drop_on_delete {
            return Outcome::done(user.clone(), format!("`{user}` kept with its database"));
        }
        let spec = UserSpec { user: user.clone(), ..spec };
        let result = async {
            let client = self.master_session(&spec).await?;
            let exists = client
                .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&spec.user])
                .await
                .map_err(|e| DbError::new("find user", &e))?
                .is_some();
            if exists {
                client.batch_execute(&drop_sql(&spec)).await.map_err(|e| DbError::new("drop user", &e))?;
            }
            Ok::<_, DbError>(())
        }
        .await;
        match result {
            Ok(()) => Outcome::done(user, ""),
            // Reported, never failed: an unreachable database is being deleted too, or its
            // network is; a kept one keeps a user nobody can get a token for once the grant
            // is gone.
            Err(e) => Outcome::done(user.clone(), format!("`{user}` not dropped: {e}")),
        }
    }
}

/// The response CloudFormation expects for `request`.
pub fn response(request: &Request, outcome: &Outcome) -> Response {
    let common = common(request);
    let mut reason = outcome.reason.clone();
    if reason.is_empty() {
        reason = format!("see log stream {}", std::env::var("AWS_LAMBDA_LOG_STREAM_NAME").unwrap_or_default());
    }
    let mut response = Response::default();
    response.status = if outcome.success { ResponseStatus::Success } else { ResponseStatus::Failed };
    // CloudFormation refuses a response over 4 KB; a reason is the first part of it.
    response.reason = Some(reason.chars().take(1000).collect());
    response.physical_resource_id = outcome.physical_id.clone();
    response.stack_id = common.stack_id.to_owned();
    response.request_id = common.request_id.to_owned();
    response.logical_resource_id = common.logical_id.to_owned();
    response.no_echo = false;
    response.data = outcome.data.clone();
    response
}

/// Sends `outcome` to the request's `ResponseURL`, retrying a failed PUT (a lost response
/// leaves the stack waiting an hour).
pub async fn respond(request: &Request, outcome: &Outcome) -> Result<(), String> {
    let url = common(request).response_url;
    let body = serde_json::to_string(&response(request, outcome)).map_err(|e| e.to_string())?;
    let mut last = String::new();
    for attempt in 0..4u64 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
        }
        match put(url, &body).await {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(format!("the response to CloudFormation was not delivered: {last}"))
}

/// A PUT of `body` (the presigned URL names an S3 object; its signature covers an empty
/// Content-Type), on hyper's HTTP/1.1 client. HTTPS is verified against the public roots
/// (the URL is S3's); plain HTTP is for tests on loopback.
pub async fn put(url: &str, body: &str) -> Result<(), String> {
    let uri: http::Uri = url.parse().map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    if !matches!(uri.scheme_str(), Some("https" | "http")) {
        return Err(format!("not an http(s) URL: {url}"));
    }
    let authority = uri.authority().map(ToString::to_string).unwrap_or_default();
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(super::tls::client_config(roots))
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, http_body_util::Full<bytes::Bytes>>(connector);
    let request = http::Request::put(uri)
        .header(http::header::CONTENT_TYPE, "")
        .body(http_body_util::Full::new(bytes::Bytes::from(body.to_owned())))
        .map_err(|e| format!("PUT to {authority}: {e}"))?;
    let answer = tokio::time::timeout(Duration::from_secs(30), client.request(request))
        .await
        .map_err(|_| format!("PUT to {authority} timed out"))?
        .map_err(|e| format!("PUT to {authority} failed: {}", error_chain(&e)))?;
    let status = answer.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("PUT to {authority} answered `{status}`"))
    }
}

/// An error and its sources, as one sentence (hyper's own message is "client error
/// (Connect)"; the reason, a refused certificate say, is in the sources).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The setup function's Lambda loop: each event handled with the master secret at
/// `master_secret_arn` (the database's `master_secret`, bound in the function's `env`) and
/// its outcome sent to CloudFormation.
pub async fn run(schema: &'static str, master_secret_arn: &str) -> Result<(), lambda_runtime::Error> {
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
    let arn = master_secret_arn.to_owned();
    let setup = Setup::new(schema, UserAuth::Iam, move || read_credentials(secrets.clone(), arn.clone()));
    let setup = &setup;
    lambda_runtime::run(lambda_runtime::service_fn(move |event: lambda_runtime::LambdaEvent<Value>| async move {
        // Parsed here rather than by the runtime, so an event that is not a custom-resource
        // request is logged as a sentence.
        let request: Request = serde_json::from_value(event.payload).map_err(|e| {
            super::log_line(&json!({ "level": "error", "event": "database setup", "reason": format!("not a CloudFormation custom-resource request: {e}") }));
            format!("not a CloudFormation custom-resource request: {e}")
        })?;
        let outcome = setup.handle(&request).await;
        super::log_line(&json!({
            "level": if outcome.success { "info" } else { "error" },
            "event": "database setup",
            "request": request_type(&request),
            "role": outcome.physical_id,
            "success": outcome.success,
            "reason": outcome.reason,
        }));
        respond(&request, &outcome).await?;
        Ok::<_, lambda_runtime::Error>(())
    }))
    .await
}

/// `Create`, `Update` or `Delete`, for the log.
fn request_type(request: &Request) -> &'static str {
    match request {
        CloudFormationCustomResourceRequest::Create(_) => "Create",
        CloudFormationCustomResourceRequest::Update(_) => "Update",
        CloudFormationCustomResourceRequest::Delete(_) => "Delete",
        _ => "unknown",
    }
}

/// `{username, password}` from a secret (the master secret RDS keeps has that shape).
pub async fn read_credentials(secrets: aws_sdk_secretsmanager::Client, arn: String) -> Result<Credentials, DbError> {
    let value = secrets.get_secret_value().secret_id(&arn).send().await.map_err(|e| {
        DbError::other(
            "read master secret",
            format!("{arn}: {}", aws_sdk_secretsmanager::error::DisplayErrorContext(&e)),
        )
    })?;
    Credentials::from_secret_value(&arn, &value).map_err(|e| DbError::other("read master secret", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props() -> Value {
        json!({ "ServiceToken": "arn", "Endpoint": "db.example", "Port": "5432", "DatabaseName": "catalog", "User": "inventory_processor", "Access": "ReadWrite", "DropOnDelete": "true" })
    }

    #[test]
    fn properties_arrive_as_strings_and_are_checked() {
        let spec = UserSpec::from_properties(&props()).unwrap();
        assert_eq!((spec.port, spec.access, spec.drop_on_delete), (5432, Access::ReadWrite, true));
        for (k, v, says) in [
            ("User", "Robert'); DROP TABLE products;--", "not a role name"),
            ("Port", "99999", "not a port"),
            ("Access", "Admin", "not ReadWrite"),
            ("DropOnDelete", "yes", "not true"),
        ] {
            let mut p = props();
            p[k] = json!(v);
            assert!(UserSpec::from_properties(&p).unwrap_err().contains(says), "{k}");
        }
        let mut p = props();
        p.as_object_mut().unwrap().remove("Endpoint");
        assert!(UserSpec::from_properties(&p).unwrap_err().contains("Endpoint is missing"));
    }

    #[test]
    fn a_response_has_what_cloudformation_reads() {
        let request: Request = serde_json::from_value(json!({
            "RequestType": "Delete", "ResponseURL": "https://s3.example/r", "StackId": "s", "RequestId": "r",
            "LogicalResourceId": "L", "ResourceType": "Custom::DatabaseUser", "PhysicalResourceId": "u",
            "ResourceProperties": props(),
        }))
        .unwrap();
        let body = serde_json::to_value(response(&request, &Outcome::failed("u".into(), "x".repeat(5000)))).unwrap();
        assert_eq!(
            (body["Status"].as_str(), body["PhysicalResourceId"].as_str(), body["RequestId"].as_str()),
            (Some("FAILED"), Some("u"), Some("r"))
        );
        assert_eq!((body["StackId"].as_str(), body["LogicalResourceId"].as_str()), (Some("s"), Some("L")));
        assert_eq!(body["Reason"].as_str().unwrap().len(), 1000);
    }
}
