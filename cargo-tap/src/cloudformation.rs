//! What talks to AWS (CloudFormation and S3, through the AWS SDK for Rust), one stack at a
//! time: `deploy_stack` (upload the assets, create a change set, print it, ask before a risky one,
//! execute, follow the events, print the outputs), `delete`, and the deployed side of
//! `diff` and `plan-delete`. `--endpoint-url` (or `AWS_ENDPOINT_URL`) points them at an
//! emulator. Waiting is the SDK's waiters'; the progress bar reads the stack's events
//! beside them.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{bail, Context};
use aws_sdk_cloudformation::client::Waiters;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{Capability, ChangeSetStatus, ChangeSetType, Parameter, StackStatus};
use aws_sdk_cloudformation::Client as Cfn;
use aws_sdk_s3::Client as S3;
use aws_smithy_runtime_api::client::waiters::error::WaiterError;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde_json::Value as Json;

use crate::diff::{diff, Diff};
use crate::error::{AwsError, Refused};

/// How to reach AWS.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Aws {
    /// An endpoint for every service (an emulator); default `AWS_ENDPOINT_URL` or AWS's.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The region; default the SDK's (`AWS_REGION`, the profile).
    #[arg(long)]
    pub region: Option<String>,
    /// Milliseconds between reads of the stack's events for the progress bar.
    #[arg(long, default_value_t = 2000, hide = true)]
    pub poll_ms: u64,
    /// Give up waiting for a change set or the stack after this many seconds.
    #[arg(long, default_value_t = 3600)]
    pub timeout_secs: u64,
}

pub struct Clients {
    pub cfn: Cfn,
    pub s3: S3,
    /// The services a delete's survivors are looked up in (`survivors.rs`).
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub kinesis: aws_sdk_kinesis::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    poll: Duration,
    timeout: Duration,
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
            dynamodb: aws_sdk_dynamodb::Client::new(&sdk),
            sqs: aws_sdk_sqs::Client::new(&sdk),
            sns: aws_sdk_sns::Client::new(&sdk),
            kinesis: aws_sdk_kinesis::Client::new(&sdk),
            secrets: aws_sdk_secretsmanager::Client::new(&sdk),
            poll: Duration::from_millis(self.poll_ms),
            timeout: Duration::from_secs(self.timeout_secs),
        }
    }
}

/// The service's own words for a failed call, with what was being done.
pub(crate) fn aws<E>(what: impl Into<String>) -> impl FnOnce(E) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error,
{
    let what = what.into();
    move |e| anyhow::Error::new(AwsError::of(&e)).context(what)
}

/// The deployed stack's status and template, or `None` when there is no such stack.
pub async fn deployed(c: &Clients, name: &str) -> anyhow::Result<Option<(StackStatus, Json)>> {
    let Some(status) = status(c, name).await? else { return Ok(None) };
    if status == StackStatus::DeleteComplete {
        return Ok(None);
    }
    let t = c.cfn.get_template().stack_name(name).send().await.map_err(aws("get-template"))?;
    let template =
        serde_json::from_str(t.template_body().unwrap_or("{}")).context("the deployed template is not JSON")?;
    Ok(Some((status, template)))
}

/// The stack's status; `None` when there is no such stack.
async fn status(c: &Clients, name: &str) -> anyhow::Result<Option<StackStatus>> {
    match c.cfn.describe_stacks().stack_name(name).send().await {
        Ok(r) => Ok(r.stacks().first().and_then(|s| s.stack_status().cloned())),
        Err(e) if AwsError::of(&e).is_missing_stack() => Ok(None),
        Err(e) => Err(aws("describe-stacks")(e)),
    }
}

/// Every resource the endpoint reports for the stack, all pages: logical id and, once it
/// exists, physical id.
async fn stack_resources(c: &Clients, name: &str) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    let mut pages = c.cfn.list_stack_resources().stack_name(name).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("list-stack-resources"))?;
        for r in page.stack_resource_summaries() {
            let Some(lid) = r.logical_resource_id() else { continue };
            out.push((lid.to_owned(), r.physical_resource_id().map(str::to_owned)));
        }
    }
    Ok(out)
}

pub async fn physical_ids(c: &Clients, name: &str) -> anyhow::Result<BTreeMap<String, String>> {
    Ok(stack_resources(c, name).await?.into_iter().filter_map(|(lid, physical)| Some((lid, physical?))).collect())
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
#[derive(Serialize)]
pub struct Report {
    pub stack: String,
    /// CloudFormation's final status, `NO_CHANGES`, or `INCOMPLETE` when the endpoint says
    /// complete but has no record of some of the template's resources.
    pub status: String,
    /// What CloudFormation said, when `status` is `INCOMPLETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// The template's resources the endpoint has no record of (an emulator skips types it
    /// does not support, and still says complete).
    pub missing: Vec<Missing>,
    pub changes: Vec<ChangeRow>,
    #[serde(serialize_with = "diff_report")]
    pub diff: Diff,
    pub outputs: BTreeMap<String, String>,
}

/// A resource of the template the deployed stack does not have.
#[derive(Debug, Serialize, PartialEq)]
pub struct Missing {
    pub logical_id: String,
    pub resource_type: String,
    /// Its type was named by `--allow-skipped`: the deploy does not fail on it (it is still
    /// missing, and said so).
    pub accepted: bool,
}

fn diff_report<S: serde::Serializer>(d: &Diff, s: S) -> Result<S::Ok, S::Error> {
    d.report().serialize(s)
}

/// One resource change of the executed change set.
#[derive(Serialize)]
pub struct ChangeRow {
    pub action: String,
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// CloudFormation's `True`, `False` or `Conditional`; tap's reading of the schemas when
    /// CloudFormation gives none.
    pub replacement: String,
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

async fn upload(
    c: &Clients,
    bucket: &str,
    uploads: &[(String, std::path::PathBuf)],
    quiet: bool,
) -> anyhow::Result<()> {
    if c.s3.head_bucket().bucket(bucket).send().await.is_err() {
        // As `cdk bootstrap` would: the asset bucket is the deployer's, created on first use.
        c.s3.create_bucket().bucket(bucket).send().await.map_err(aws(format!("create asset bucket {bucket}")))?;
    }
    let bar = bar(uploads.len() as u64, "uploading assets", quiet);
    for (key, path) in uploads {
        bar.set_message(key.clone());
        // Keys are content hashes: an asset already there is this asset.
        if c.s3.head_object().bucket(bucket).key(key).send().await.is_err() {
            let body = aws_sdk_s3::primitives::ByteStream::from_path(path)
                .await
                .with_context(|| format!("cannot read {}", path.display()))?;
            c.s3.put_object().bucket(bucket).key(key).body(body).send().await.map_err(aws(format!("upload {key}")))?;
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

/// Asks on the terminal; no terminal (CI, a pipe) is a no.
fn ask(question: &str) -> bool {
    std::io::stdin().is_terminal()
        && dialoguer::Confirm::new().with_prompt(question).default(false).interact().unwrap_or(false)
}

pub async fn deploy_stack(c: &Clients, req: Request<'_>) -> anyhow::Result<Report> {
    let missing = missing_parameters(req.template, &req.parameters);
    if !missing.is_empty() {
        bail!("the template needs values for: {}; pass each with `--parameter Name=value`", missing.join(", "));
    }
    if !req.uploads.is_empty() {
        let bucket = req
            .asset_bucket
            .context("the stack has functions: name the bucket for their code with `--asset-bucket`")?;
        upload(c, bucket, &req.uploads, req.quiet).await?;
    }
    let before = deployed(c, req.stack_name).await?;
    let empty = serde_json::json!({ "Resources": {} });
    let d = diff(before.as_ref().map_or(&empty, |(_, t)| t), req.template);
    let kind = match &before {
        Some((StackStatus::ReviewInProgress, _)) | None => ChangeSetType::Create,
        Some(_) => ChangeSetType::Update,
    };
    let name = format!(
        "tap-{}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    );
    let created = create_change_set(c, &req, &name, kind.clone()).await?;
    let described = if created { wait_for_change_set(c, req.stack_name, &name).await? } else { None };
    let Some(described) = described else {
        let outputs = outputs(c, req.stack_name).await?;
        let stack = req.stack_name.to_owned();
        let missing = not_created(c, req.stack_name, req.template).await?;
        let (status, reported) = judged("NO_CHANGES", &missing);
        return Ok(Report { stack, status, reported, missing, diff: d, changes: vec![], outputs });
    };
    let changes = change_rows(&described, &d);
    if !req.quiet {
        eprintln!("Change set {name} for {}:", req.stack_name);
        eprint!("{}", d.to_text());
    }
    // A new stack's permissions are all new: they are what it creates, not a widening of
    // what runs; what would destroy data cannot happen on a create.
    let risks = if kind == ChangeSetType::Create { Vec::new() } else { d.risks() };
    if !risks.is_empty() && !req.yes && !ask("This change set needs a second look (above). Execute it?") {
        let _ = c.cfn.delete_change_set().stack_name(req.stack_name).change_set_name(&name).send().await;
        // A refused first deploy leaves an empty stack in REVIEW_IN_PROGRESS: remove it.
        if kind == ChangeSetType::Create {
            let _ = c.cfn.delete_stack().stack_name(req.stack_name).send().await;
        }
        bail!(Refused(format!("not deployed: {}; re-run with `--yes` to accept", risks.join("; "))));
    }
    c.cfn
        .execute_change_set()
        .stack_name(req.stack_name)
        .change_set_name(&name)
        .send()
        .await
        .map_err(aws("execute-change-set"))?;
    let total = req.template["Resources"].as_object().map_or(0, |m| m.len()) as u64;
    let goal = if kind == ChangeSetType::Create { Goal::Create } else { Goal::Update };
    let status = follow(c, req.stack_name, goal, total, req.quiet).await?;
    let outputs = outputs(c, req.stack_name).await?;
    if !matches!(status, StackStatus::CreateComplete | StackStatus::UpdateComplete) {
        bail!("{} ended in {}", req.stack_name, status.as_str());
    }
    // Never the endpoint's word alone: every resource of the template must be there.
    let missing = not_created(c, req.stack_name, req.template).await?;
    let (status, reported) = judged(status.as_str(), &missing);
    Ok(Report { stack: req.stack_name.to_owned(), status, reported, missing, diff: d, changes, outputs })
}

/// The executed change set's resource changes, each with whether it replaces the resource:
/// CloudFormation's own answer when it gives one, tap's, from the schemas, else.
fn change_rows(described: &ChangeSet, d: &Diff) -> Vec<ChangeRow> {
    described
        .changes()
        .iter()
        .filter_map(|ch| ch.resource_change())
        .map(|rc| {
            let lid = rc.logical_resource_id().unwrap_or_default();
            // CloudFormation's own answer when it gives one; tap's, from the schemas, else.
            let ours = d.resources.iter().find(|r| r.logical_id == lid).is_some_and(|r| r.replaces());
            ChangeRow {
                action: rc.action().map(|a| a.as_str().to_owned()).unwrap_or_default(),
                logical_id: lid.to_owned(),
                resource_type: rc.resource_type().unwrap_or_default().to_owned(),
                replacement: rc
                    .replacement()
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_else(|| if ours { "True" } else { "False" }.to_owned()),
            }
        })
        .collect()
}

/// `status`, unless resources are missing: then `INCOMPLETE`, and what was said.
fn judged(status: &str, missing: &[Missing]) -> (String, Option<String>) {
    if missing.is_empty() {
        (status.to_owned(), None)
    } else {
        ("INCOMPLETE".to_owned(), Some(status.to_owned()))
    }
}

/// The template's resources the deployed stack has no record of, in template order.
pub async fn not_created(c: &Clients, name: &str, template: &Json) -> anyhow::Result<Vec<Missing>> {
    let present: std::collections::HashSet<String> =
        stack_resources(c, name).await?.into_iter().map(|(lid, _)| lid).collect();
    let resources = template["Resources"].as_object().into_iter().flatten();
    Ok(resources
        .filter(|(lid, _)| !present.contains(lid.as_str()))
        .map(|(lid, r)| Missing {
            logical_id: lid.clone(),
            resource_type: r["Type"].as_str().unwrap_or_default().to_owned(),
            accepted: false,
        })
        .collect())
}

/// Creates the change set; `false` when the endpoint refused it for changing nothing.
async fn create_change_set(c: &Clients, req: &Request<'_>, name: &str, kind: ChangeSetType) -> anyhow::Result<bool> {
    let body = serde_json::to_string(req.template).expect("a template always serialises");
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
        .change_set_name(name)
        .change_set_type(kind)
        .set_parameters(Some(params))
        .capabilities(Capability::CapabilityIam);
    create = if body.len() > 51_200 {
        let bucket = req
            .asset_bucket
            .context("the template is over 51,200 bytes: CloudFormation reads it from S3, so pass `--asset-bucket`")?;
        let key = format!("templates/{}-{name}.json", req.stack_name);
        c.s3.put_object()
            .bucket(bucket)
            .key(&key)
            .body(body.into_bytes().into())
            .send()
            .await
            .map_err(aws("upload the template"))?;
        create.template_url(format!("https://{bucket}.s3.amazonaws.com/{key}"))
    } else {
        create.template_body(body)
    };
    match create.send().await {
        Ok(_) => Ok(true),
        // Some endpoints refuse a change set with nothing to change outright, as CloudFormation
        // refuses such an update, instead of failing the change set.
        Err(e) if AwsError::of(&e).is_no_change() => Ok(false),
        Err(e) => Err(aws("create-change-set")(e)),
    }
}

type ChangeSet = aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;

/// Waits (the SDK's waiter) until the change set is created; `None` when CloudFormation
/// found nothing to change (the change set is removed).
async fn wait_for_change_set(c: &Clients, stack: &str, name: &str) -> anyhow::Result<Option<ChangeSet>> {
    let waited =
        c.cfn.wait_until_change_set_create_complete().stack_name(stack).change_set_name(name).wait(c.timeout).await;
    if gave_up(&waited) {
        bail!("gave up waiting for the change set after {} s (`--timeout-secs`)", c.timeout.as_secs());
    }
    // Success or a failure state: the change set says which, and why.
    let r = c
        .cfn
        .describe_change_set()
        .stack_name(stack)
        .change_set_name(name)
        .send()
        .await
        .map_err(aws("describe-change-set"))?;
    match r.status() {
        Some(ChangeSetStatus::CreateComplete) => Ok(Some(r)),
        _ => {
            let reason = r.status_reason().unwrap_or_default().to_owned();
            let _ = c.cfn.delete_change_set().stack_name(stack).change_set_name(name).send().await;
            if reason.contains("didn't contain changes") || reason.contains("No updates") {
                return Ok(None);
            }
            bail!("the change set failed: {reason}")
        }
    }
}

pub async fn outputs(c: &Clients, name: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let r = c.cfn.describe_stacks().stack_name(name).send().await.map_err(aws("describe-stacks"))?;
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

/// Whether a waiter gave up at `--timeout-secs`; a failure state (a failed change set, a
/// rollback) ends the wait as success does, and the caller reads which it was.
fn gave_up<T, O, E>(waited: &Result<T, WaiterError<O, E>>) -> bool {
    matches!(waited, Err(WaiterError::ExceededMaxWait(_)))
}

/// What the stack is being taken to.
#[derive(Clone, Copy, PartialEq)]
enum Goal {
    Create,
    Update,
    Delete,
}

impl Goal {
    /// The progress bar's label.
    fn label(self) -> &'static str {
        match self {
            Goal::Create | Goal::Update => "deploying",
            Goal::Delete => "deleting",
        }
    }
}

/// Waits for the stack with the SDK's waiter for `goal`, while a bar over its resources
/// follows the stack's events; returns the final status (`DELETE_COMPLETE` once it is gone).
async fn follow(c: &Clients, name: &str, goal: Goal, total: u64, quiet: bool) -> anyhow::Result<StackStatus> {
    let bar = bar(total, goal.label(), quiet);
    let wait = async {
        // A failure state (a rollback) ends the wait as success does; the status below says which.
        match goal {
            Goal::Create => gave_up(&c.cfn.wait_until_stack_create_complete().stack_name(name).wait(c.timeout).await),
            Goal::Update => gave_up(&c.cfn.wait_until_stack_update_complete().stack_name(name).wait(c.timeout).await),
            Goal::Delete => gave_up(&c.cfn.wait_until_stack_delete_complete().stack_name(name).wait(c.timeout).await),
        }
    };
    tokio::pin!(wait);
    let exceeded = loop {
        tokio::select! {
            exceeded = &mut wait => break exceeded,
            _ = tokio::time::sleep(c.poll) => show_events(c, name, &bar).await,
        }
    };
    bar.finish_and_clear();
    if exceeded {
        bail!("gave up waiting for {name} after {} s (`--timeout-secs`)", c.timeout.as_secs());
    }
    Ok(status(c, name).await?.unwrap_or(StackStatus::DeleteComplete))
}

/// The bar's position: resources whose last event completed; its message: the newest event.
async fn show_events(c: &Clients, name: &str, bar: &ProgressBar) {
    let Ok(ev) = c.cfn.describe_stack_events().stack_name(name).send().await else { return };
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

pub async fn delete_stack(
    c: &Clients,
    name: &str,
    yes: bool,
    quiet: bool,
) -> anyhow::Result<(String, crate::plan::Plan)> {
    let Some((_, template)) = deployed(c, name).await? else {
        bail!("there is no stack {name}");
    };
    let plan = crate::plan::plan(name, &template, &physical_ids(c, name).await?);
    if !quiet {
        eprint!("{}", plan.to_text());
    }
    if plan.summary.data_deleted > 0 && !yes && !ask("Deleting the stack deletes the data above. Delete it?") {
        bail!(Refused("not deleted: resources holding data would be deleted; re-run with `--yes` to accept".into()));
    }
    c.cfn.delete_stack().stack_name(name).send().await.map_err(aws("delete-stack"))?;
    let status = follow(c, name, Goal::Delete, plan.resources.len() as u64, quiet).await?;
    if status != StackStatus::DeleteComplete {
        bail!("{name} ended in {}", status.as_str());
    }
    Ok((status.as_str().to_owned(), plan))
}
