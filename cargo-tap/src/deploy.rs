//! The commands that talk to AWS (CloudFormation and S3, through the AWS SDK for Rust):
//! `deploy` (upload the assets, create a change set, print it, ask before a risky one,
//! execute, follow the events, print the outputs), `delete`, and the deployed side of
//! `diff` and `plan-delete`. `--endpoint-url` (or `AWS_ENDPOINT_URL`) points them at an
//! emulator.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use aws_sdk_cloudformation::types::{Capability, ChangeSetStatus, ChangeSetType, Parameter, StackStatus};
use aws_sdk_cloudformation::Client as Cfn;
use aws_sdk_s3::Client as S3;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value as Json};

use crate::diff::{diff, Diff};
use crate::Fail;

/// How to reach AWS.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Aws {
    /// An endpoint for every service (an emulator); default `AWS_ENDPOINT_URL` or AWS's.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The region; default the SDK's (`AWS_REGION`, the profile).
    #[arg(long)]
    pub region: Option<String>,
    /// Milliseconds between polls of a change set or the stack's events.
    #[arg(long, default_value_t = 2000, hide = true)]
    pub poll_ms: u64,
    /// Give up following a change set or the stack after this many seconds.
    #[arg(long, default_value_t = 3600)]
    pub timeout_secs: u64,
}

pub struct Clients {
    pub cfn: Cfn,
    pub s3: S3,
    poll: Duration,
    timeout: Duration,
}

impl Clients {
    /// Waits one poll, or fails once `started` is older than the timeout.
    async fn wait(&self, started: std::time::Instant, what: &str) -> Result<(), Fail> {
        if started.elapsed() > self.timeout {
            return Err(Fail::new(format!(
                "gave up waiting for {what} after {} s (`--timeout-secs`)",
                self.timeout.as_secs()
            )));
        }
        tokio::time::sleep(self.poll).await;
        Ok(())
    }
}

impl Aws {
    pub async fn clients(&self) -> Clients {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(e) = &self.endpoint_url {
            loader = loader.endpoint_url(e);
        }
        if let Some(r) = &self.region {
            loader = loader.region(aws_config::Region::new(r.clone()));
        }
        let sdk = loader.load().await;
        // An emulator's S3 answers on its own host, not per-bucket subdomains.
        let custom = self.endpoint_url.is_some() || std::env::var_os("AWS_ENDPOINT_URL").is_some();
        let s3 = S3::from_conf(aws_sdk_s3::config::Builder::from(&sdk).force_path_style(custom).build());
        Clients {
            cfn: Cfn::new(&sdk),
            s3,
            poll: Duration::from_millis(self.poll_ms),
            timeout: Duration::from_secs(self.timeout_secs),
        }
    }
}

fn aws_fail<E: std::error::Error>(what: &str, e: E) -> Fail {
    // The SDK's Display is terse ("service error"); the context chain has the service's
    // own message.
    let full = aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string();
    let message =
        full.split("message: Some(\"").nth(1).and_then(|m| m.split('"').next()).map(str::to_owned).unwrap_or(full);
    Fail::new(format!("{what}: {message}"))
}

/// The deployed stack's status and template, or `None` when there is no such stack.
pub async fn deployed(c: &Clients, name: &str) -> Result<Option<(String, Json)>, Fail> {
    let stacks = match c.cfn.describe_stacks().stack_name(name).send().await {
        Ok(s) => s,
        Err(e) if aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string().contains("does not exist") => {
            return Ok(None)
        }
        Err(e) => return Err(aws_fail("describe-stacks", e)),
    };
    let Some(stack) = stacks.stacks().first() else { return Ok(None) };
    let status = stack.stack_status().map(|s| s.as_str().to_owned()).unwrap_or_default();
    if status == "DELETE_COMPLETE" {
        return Ok(None);
    }
    let t = c.cfn.get_template().stack_name(name).send().await.map_err(|e| aws_fail("get-template", e))?;
    let body = t.template_body().unwrap_or("{}");
    let template =
        serde_json::from_str(body).map_err(|e| Fail::new(format!("the deployed template is not JSON: {e}")))?;
    Ok(Some((status, template)))
}

pub async fn physical_ids(c: &Clients, name: &str) -> Result<BTreeMap<String, String>, Fail> {
    let r =
        c.cfn.list_stack_resources().stack_name(name).send().await.map_err(|e| aws_fail("list-stack-resources", e))?;
    Ok(r.stack_resource_summaries()
        .iter()
        .filter_map(|s| Some((s.logical_resource_id()?.to_owned(), s.physical_resource_id()?.to_owned())))
        .collect())
}

/// What a deploy takes besides the template.
pub struct Request<'a> {
    pub stack_name: &'a str,
    pub template: &'a Json,
    pub parameters: BTreeMap<String, String>,
    /// `(key, local path)` of each asset to upload to `asset_bucket`.
    pub uploads: Vec<(String, std::path::PathBuf)>,
    pub asset_bucket: Option<&'a str>,
    pub yes: bool,
    pub quiet: bool,
}

/// The report a deploy prints (`--json`).
pub struct Report {
    pub stack_name: String,
    pub status: String,
    pub diff: Diff,
    pub changes: Vec<Json>,
    pub outputs: BTreeMap<String, String>,
}

impl Report {
    pub fn to_json(&self) -> Json {
        json!({ "stack": self.stack_name, "status": self.status, "changes": self.changes, "diff": self.diff.to_json(), "outputs": self.outputs })
    }
}

/// Parameters the template declares with no default and no value given.
pub fn missing_parameters(template: &Json, given: &BTreeMap<String, String>) -> Vec<String> {
    template["Parameters"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| v.get("Default").is_none() && !given.contains_key(*k))
        .map(|(k, v)| format!("{k} ({})", v["Description"].as_str().unwrap_or("no description")))
        .collect()
}

async fn upload(c: &Clients, bucket: &str, uploads: &[(String, std::path::PathBuf)], quiet: bool) -> Result<(), Fail> {
    if c.s3.head_bucket().bucket(bucket).send().await.is_err() {
        // As `cdk bootstrap` would: the asset bucket is the deployer's, created on first use.
        c.s3.create_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| aws_fail(&format!("create asset bucket {bucket}"), e))?;
    }
    let bar = bar(uploads.len() as u64, "uploading assets", quiet);
    for (key, path) in uploads {
        bar.set_message(key.clone());
        // Keys are content hashes: an asset already there is this asset.
        if c.s3.head_object().bucket(bucket).key(key).send().await.is_err() {
            let body = aws_sdk_s3::primitives::ByteStream::from_path(path)
                .await
                .map_err(|e| Fail::new(format!("cannot read {}: {e}", path.display())))?;
            c.s3.put_object()
                .bucket(bucket)
                .key(key)
                .body(body)
                .send()
                .await
                .map_err(|e| aws_fail(&format!("upload {key}"), e))?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(())
}

fn bar(len: u64, prefix: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len);
    b.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    b.set_prefix(prefix.to_owned());
    b
}

fn ask(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}

pub async fn deploy(c: &Clients, req: Request<'_>) -> Result<Report, Fail> {
    let missing = missing_parameters(req.template, &req.parameters);
    if !missing.is_empty() {
        return Err(Fail::new(format!(
            "the template needs values for: {}; pass each with `--parameter Name=value`",
            missing.join(", ")
        )));
    }
    if !req.uploads.is_empty() {
        let bucket = req.asset_bucket.ok_or_else(|| {
            Fail::new("the stack has functions: name the bucket for their code with `--asset-bucket`")
        })?;
        upload(c, bucket, &req.uploads, req.quiet).await?;
    }
    let before = deployed(c, req.stack_name).await?;
    let empty = json!({ "Resources": {} });
    let d = diff(before.as_ref().map_or(&empty, |(_, t)| t), req.template);
    let kind = match &before {
        Some((status, _)) if status == "REVIEW_IN_PROGRESS" => ChangeSetType::Create,
        Some(_) => ChangeSetType::Update,
        None => ChangeSetType::Create,
    };
    let body = serde_json::to_string(req.template).expect("JSON");
    let name = format!(
        "tap-{}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    );
    let params: Vec<Parameter> = req
        .parameters
        .iter()
        .filter(|(k, _)| req.template["Parameters"].get(k.as_str()).is_some())
        .map(|(k, v)| Parameter::builder().parameter_key(k).parameter_value(v).build())
        .collect();
    let mut create = c
        .cfn
        .create_change_set()
        .stack_name(req.stack_name)
        .change_set_name(&name)
        .change_set_type(kind.clone())
        .set_parameters(Some(params))
        .capabilities(Capability::CapabilityIam);
    create = if body.len() > 51_200 {
        let bucket = req.asset_bucket.ok_or_else(|| {
            Fail::new("the template is over 51,200 bytes: CloudFormation reads it from S3, so pass `--asset-bucket`")
        })?;
        let key = format!("templates/{}-{name}.json", req.stack_name);
        c.s3.put_object()
            .bucket(bucket)
            .key(&key)
            .body(body.clone().into_bytes().into())
            .send()
            .await
            .map_err(|e| aws_fail("upload the template", e))?;
        create.template_url(format!("https://{bucket}.s3.amazonaws.com/{key}"))
    } else {
        create.template_body(body)
    };
    create.send().await.map_err(|e| aws_fail("create-change-set", e))?;
    let started = std::time::Instant::now();
    let described = loop {
        let r = c
            .cfn
            .describe_change_set()
            .stack_name(req.stack_name)
            .change_set_name(&name)
            .send()
            .await
            .map_err(|e| aws_fail("describe-change-set", e))?;
        match r.status() {
            Some(ChangeSetStatus::CreateComplete) => break r,
            Some(ChangeSetStatus::Failed) => {
                let reason = r.status_reason().unwrap_or_default().to_owned();
                let _ = c.cfn.delete_change_set().stack_name(req.stack_name).change_set_name(&name).send().await;
                if reason.contains("didn't contain changes") || reason.contains("No updates") {
                    let outputs = outputs(c, req.stack_name).await?;
                    return Ok(Report {
                        stack_name: req.stack_name.to_owned(),
                        status: "NO_CHANGES".into(),
                        diff: d,
                        changes: vec![],
                        outputs,
                    });
                }
                return Err(Fail::new(format!("the change set failed: {reason}")));
            }
            _ => c.wait(started, "the change set").await?,
        }
    };
    let changes: Vec<Json> = described
        .changes()
        .iter()
        .filter_map(|ch| ch.resource_change())
        .map(|rc| {
            let lid = rc.logical_resource_id().unwrap_or_default();
            // CloudFormation's own answer when it gives one; tap's, from the schemas, else.
            let replacement = rc.replacement().map(|r| r.as_str().to_owned()).unwrap_or_else(|| {
                d.resources.iter().find(|r| r.logical_id == lid).map_or("False", |r| if r.replaces() { "True" } else { "False" }).to_owned()
            });
            json!({ "action": rc.action().map(|a| a.as_str()).unwrap_or_default(), "logical_id": lid, "type": rc.resource_type().unwrap_or_default(), "replacement": replacement })
        })
        .collect();
    if !req.quiet {
        eprintln!("Change set {name} for {}:", req.stack_name);
        eprint!("{}", d.to_text());
    }
    let risks = d.risks();
    if !risks.is_empty() && !req.yes {
        let go = std::io::stdin().is_terminal() && ask("This change set needs a second look (above). Execute it?");
        if !go {
            let _ = c.cfn.delete_change_set().stack_name(req.stack_name).change_set_name(&name).send().await;
            // A refused first deploy leaves an empty stack in REVIEW_IN_PROGRESS: remove it.
            if kind == ChangeSetType::Create {
                let _ = c.cfn.delete_stack().stack_name(req.stack_name).send().await;
            }
            return Err(Fail::refused(format!("not deployed: {}; re-run with `--yes` to accept", risks.join("; "))));
        }
    }
    c.cfn
        .execute_change_set()
        .stack_name(req.stack_name)
        .change_set_name(&name)
        .send()
        .await
        .map_err(|e| aws_fail("execute-change-set", e))?;
    let total = req.template["Resources"].as_object().map_or(0, |m| m.len()) as u64;
    let status = follow(c, req.stack_name, total, "deploying", req.quiet).await?;
    let outputs = outputs(c, req.stack_name).await?;
    if !status.ends_with("_COMPLETE") || status.contains("ROLLBACK") {
        return Err(Fail::new(format!("{} ended in {status}", req.stack_name)));
    }
    Ok(Report { stack_name: req.stack_name.to_owned(), status, diff: d, changes, outputs })
}

pub async fn outputs(c: &Clients, name: &str) -> Result<BTreeMap<String, String>, Fail> {
    let r = c.cfn.describe_stacks().stack_name(name).send().await.map_err(|e| aws_fail("describe-stacks", e))?;
    Ok(r.stacks()
        .first()
        .map(|s| {
            s.outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
                .collect()
        })
        .unwrap_or_default())
}

/// Polls the stack's status until it leaves `*_IN_PROGRESS`, with a bar over its
/// resources; returns the final status (`DELETE_COMPLETE` once it is gone).
async fn follow(c: &Clients, name: &str, total: u64, prefix: &str, quiet: bool) -> Result<String, Fail> {
    let bar = bar(total, prefix, quiet);
    let started = std::time::Instant::now();
    loop {
        let status = match c.cfn.describe_stacks().stack_name(name).send().await {
            Ok(r) => {
                r.stacks().first().and_then(|s| s.stack_status()).map(|s| s.as_str().to_owned()).unwrap_or_default()
            }
            Err(e) if aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string().contains("does not exist") => {
                StackStatus::DeleteComplete.as_str().to_owned()
            }
            Err(e) => return Err(aws_fail("describe-stacks", e)),
        };
        if let Ok(ev) = c.cfn.describe_stack_events().stack_name(name).send().await {
            let done: std::collections::BTreeSet<&str> = ev
                .stack_events()
                .iter()
                .filter(|e| {
                    e.logical_resource_id() != Some(name)
                        && e.resource_status().is_some_and(|s| s.as_str().ends_with("_COMPLETE"))
                })
                .filter_map(|e| e.logical_resource_id())
                .collect();
            bar.set_position(done.len() as u64);
            if let Some(last) = ev.stack_events().first() {
                bar.set_message(format!(
                    "{} {}",
                    last.logical_resource_id().unwrap_or_default(),
                    last.resource_status().map(|s| s.as_str()).unwrap_or_default()
                ));
            }
        }
        if !status.ends_with("_IN_PROGRESS") {
            bar.finish_and_clear();
            return Ok(status);
        }
        c.wait(started, name).await?;
    }
}

pub async fn delete(c: &Clients, name: &str, yes: bool, quiet: bool) -> Result<(String, Vec<crate::plan::Row>), Fail> {
    let Some((_, template)) = deployed(c, name).await? else {
        return Err(Fail::new(format!("there is no stack {name}")));
    };
    let rows = crate::plan::plan(&template, &physical_ids(c, name).await?);
    if !quiet {
        eprint!("{}", crate::plan::to_text(name, &rows));
    }
    let loses_data = rows.iter().any(|r| r.holds_data && r.action == "delete");
    if loses_data && !yes {
        let go = std::io::stdin().is_terminal() && ask("Deleting the stack deletes the data above. Delete it?");
        if !go {
            return Err(Fail::refused(
                "not deleted: resources holding data would be deleted; re-run with `--yes` to accept",
            ));
        }
    }
    c.cfn.delete_stack().stack_name(name).send().await.map_err(|e| aws_fail("delete-stack", e))?;
    let status = follow(c, name, rows.len() as u64, "deleting", quiet).await?;
    if status != "DELETE_COMPLETE" {
        return Err(Fail::new(format!("{name} ended in {status}")));
    }
    Ok((status, rows))
}
