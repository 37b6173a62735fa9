//! `cargo tap deploy`: every stack of the crate, each after the stacks it imports from:
//! packaged, uploaded, a change set created, shown, asked about when risky, executed and
//! followed (one stack's deploy is `cloudformation::deploy_stack`; an export a consumer
//! still imports is kept by `exports`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{one_or_list, usage};
use crate::error::CliResult;
use crate::{cloudformation, exports, package, project};

/// Package, upload, create a change set, show it, ask when it is risky, execute, follow.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    select: project::Select,
    #[command(flatten)]
    options: package::Options,
    #[command(flatten)]
    aws: cloudformation::Aws,
    /// The environment suffix (the template's EnvironmentSuffix).
    #[arg(long)]
    suffix: String,
    /// The CloudFormation stack's name; default `<Stack>-<suffix>`.
    #[arg(long)]
    stack_name: Option<String>,
    /// The bucket the functions' code is uploaded to (created if missing).
    #[arg(long)]
    asset_bucket: Option<String>,
    /// A template parameter, `Name=value` (an existing resource's id, for instance).
    #[arg(long = "parameter", value_name = "NAME=VALUE")]
    parameters: Vec<String>,
    /// Execute without asking, even when data is replaced or deleted or a permission widens.
    #[arg(long)]
    yes: bool,
    /// Resource types the endpoint may leave uncreated without failing the deploy (an
    /// emulator's gaps): `AWS::CloudWatch::Alarm`, or a service's every type,
    /// `AWS::ApiGatewayV2::*`; comma-separated or repeated. Each is still listed.
    #[arg(long = "allow-skipped", value_name = "TYPE", value_delimiter = ',')]
    allow_skipped: Vec<String>,
    #[arg(long)]
    json: bool,
}

/// One stack's deploy as `--json` prints it: what CloudFormation did, and the exports kept
/// for this deployment because a stack of the app still imports them.
#[derive(Serialize)]
struct StackReport {
    #[serde(flatten)]
    deployed: cloudformation::Report,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    kept_exports: Vec<exports::KeptExport>,
}

/// Whether `ty` is one of the types `allowed` names (`AWS::S3::BucketPolicy`, or
/// `AWS::ApiGatewayV2::*` for a service's every type).
fn allowed(allowed: &[String], ty: &str) -> bool {
    allowed.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => ty.starts_with(prefix),
        None => a == ty,
    })
}

pub async fn run(args: Args) -> CliResult<String> {
    let Args { select, options, aws, suffix, stack_name, asset_bucket, parameters, yes, allow_skipped, json } = args;
    let stacks = project::select_all(&select)?;
    if stack_name.is_some() && stacks.len() > 1 {
        return Err(usage("`--stack-name` names one stack, and the app has several: leave it out (each is `<Stack>-<suffix>`) or choose one with `--stack`"));
    }
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for p in &parameters {
        let (k, v) = p.split_once('=').ok_or_else(|| usage(format!("`--parameter {p}`: write Name=value")))?;
        given.insert(k.to_owned(), v.to_owned());
    }
    let name_of = |s: &project::StackDir| stack_name.clone().unwrap_or_else(|| s.deployed_name(&suffix));
    let c = aws.clients().await;
    let mut reports = Vec::new();
    let mut text = String::new();
    // In deploy order: each stack after the stacks it imports from.
    for stack in &stacks {
        let assets = super::package::with_progress(stack, &options, json)?;
        let mut params = given.clone();
        params.insert(tap_core::cfn::SUFFIX_PARAM.into(), suffix.clone());
        if let Some(b) = &asset_bucket {
            params.insert(tap_core::cfn::ASSET_BUCKET_PARAM.into(), b.clone());
        }
        for a in &assets {
            params.insert(a.parameter.clone(), a.key.clone());
        }
        let name = name_of(stack);
        // The app's stacks that import from this one, as deployed.
        let consumers: Vec<String> = stacks
            .iter()
            .filter(|s| s.manifest.as_ref().is_some_and(|m| m.depends_on.contains(&stack.name)))
            .map(name_of)
            .collect();
        let mut template = stack.template.clone();
        let kept = if consumers.is_empty() {
            Vec::new()
        } else {
            exports::keep_exports_in_use(&c, &name, &mut template, &consumers, &params).await?
        };
        let request = cloudformation::Request {
            stack_name: &name,
            template: &template,
            parameters: params,
            uploads: assets.iter().map(|a| (a.key.clone(), a.path.clone())).collect(),
            asset_bucket: asset_bucket.as_deref(),
            yes,
            quiet: json,
        };
        let mut deployed = cloudformation::deploy_stack(&c, request).await?;
        for m in &mut deployed.missing {
            m.accepted = allowed(&allow_skipped, &m.resource_type);
        }
        let report = StackReport { deployed, kept_exports: kept };
        text.push_str(&to_text(&report, &template));
        reports.push(report);
    }
    let out = if json { one_or_list(&reports) } else { text };
    // Never the endpoint's word alone: a resource it did not create fails the deploy, unless
    // its type was named as one the endpoint may skip.
    let missing: Vec<String> = reports
        .iter()
        .map(|r| &r.deployed)
        .flat_map(|r| r.missing.iter().filter(|m| !m.accepted).map(move |m| format!("{} {}", r.stack, m.logical_id)))
        .collect();
    if !missing.is_empty() {
        print!("{out}");
        return Err(anyhow::anyhow!(
            "{} resource(s) of the template were not created ({}): the stack is not what the template says. \
             Against an emulator that does not support their types, name the types with `--allow-skipped`",
            missing.len(),
            missing.join(", ")
        )
        .into());
    }
    Ok(out)
}

/// A deploy's report as the terminal shows it.
fn to_text(StackReport { deployed: report, kept_exports }: &StackReport, template: &serde_json::Value) -> String {
    let mut s = format!("{}: {}\n", report.stack, report.status);
    if let Some(said) = &report.reported {
        s.push_str(&format!(
            "  the endpoint said {said}, but has no record of {} of the template's {} resources: it did not create them\n  (an emulator skips types it does not support; against AWS, the stack is not what the template says):\n",
            report.missing.len(),
            template["Resources"].as_object().map_or(0, |m| m.len()),
        ));
        for m in &report.missing {
            let accepted = if m.accepted { ": accepted, --allow-skipped names its type" } else { "" };
            s.push_str(&format!("    {} ({}){accepted}\n", m.logical_id, m.resource_type));
        }
    }
    for k in kept_exports {
        s.push_str(&format!(
            "  export {} kept for this deployment: {} still imports it; the next deploy drops it\n",
            k.export,
            k.imported_by.join(", ")
        ));
    }
    for (k, v) in &report.outputs {
        s.push_str(&format!("  {k} = {v}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn a_skipped_type_is_allowed_by_its_name_or_its_services_star() {
        let given = ["AWS::CloudWatch::Alarm".to_owned(), "AWS::ApiGatewayV2::*".to_owned()];
        assert!(allowed(&given, "AWS::CloudWatch::Alarm"));
        assert!(allowed(&given, "AWS::ApiGatewayV2::Route"));
        assert!(!allowed(&given, "AWS::CloudWatch::Dashboard"));
        assert!(!allowed(&given, "AWS::ApiGateway::Method"), "a star is the service's, not a prefix of another");
        assert!(!allowed(&[], "AWS::SQS::QueuePolicy"));
    }
}
