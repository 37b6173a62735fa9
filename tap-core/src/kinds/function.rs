//! `Function`: a Lambda function, its execution role (one statement per grant, exact
//! actions on exact ARNs) and its code, uploaded as an asset and referenced by S3 location.
//! Its `env` is also what `#[stack]` turns into the function's typed `Env` (`generate.rs`).

use super::existing::Existing;
use super::log_group::LogGroup;
use super::prelude::*;
use super::queue::{self, Queue};
use super::security_group::SecurityGroup;
use super::vpc::Vpc;
use crate::cfn::ASSET_BUCKET_PARAM;

words! {
    pub enum Runtime { ProvidedAl2023, Python39, Python312, Python313, Python314, Nodejs20, Nodejs22, Nodejs24, Java21, Java25 }
}

impl Runtime {
    /// CloudFormation's name for it.
    pub fn cfn(self) -> &'static str {
        match self {
            Runtime::ProvidedAl2023 => "provided.al2023",
            Runtime::Python39 => "python3.9",
            Runtime::Python312 => "python3.12",
            Runtime::Python313 => "python3.13",
            Runtime::Python314 => "python3.14",
            Runtime::Nodejs20 => "nodejs20.x",
            Runtime::Nodejs22 => "nodejs22.x",
            Runtime::Nodejs24 => "nodejs24.x",
            Runtime::Java21 => "java21",
            Runtime::Java25 => "java25",
        }
    }
}

words! {
    pub enum Architecture { X86_64, Arm64 }
}

// `stack.json` and `assets.json` name both as Lambda does.
wire_words!(Runtime, cfn, from_cfn);
wire_words!(Architecture, cfn, from_cfn);

impl Architecture {
    /// Lambda's name for it.
    pub fn cfn(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

props! {
    pub struct Function {
        name: opt Name,
        code: req Code,
        runtime: req Runtime,
        /// The entry point; default `"bootstrap"` (a Rust binary).
        handler: opt String,
        /// Default `X86_64`.
        architecture: opt Architecture,
        /// MB; default 256.
        memory: opt Int<128, 10240>,
        /// Default 30 (Lambda's).
        timeout_seconds: opt Int<1, 900>,
        vpc: opt Ref<Vpc>,
        /// With `vpc`: default `Private`.
        subnets: opt Subnets,
        security_group: opt Ref<SecurityGroup>,
        env: opt Env,
        grants: opt Vec<At<Grant>>,
        egress_via_nat: opt Vec<At<Service>>,
        /// When invoked asynchronously (a schedule): retries of a failed invocation, 0 to 2
        /// (Lambda's default 2).
        async_retries: opt Int<0, 2>,
        /// When invoked asynchronously: how long an event may wait, 60 to 21600 s (Lambda's
        /// default 21600).
        async_max_age_seconds: opt Int<60, 21600>,
        /// When invoked asynchronously: where an event goes that still fails (with the
        /// function's role: grant it `<queue>.send`).
        async_on_failure: opt Ref<Queue>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    naming: Some(Naming { min: 1, max: 64, extra: "-_", lowercase: false, letter_first: false }),
    cfn_type: Some("AWS::Lambda::Function"),
    ..Spec::new("Function", "function", "A Lambda function built from a binary of the crate, with its role.", <Function as super::decode::Decode>::PROPS)
};

/// The template parameter holding the S3 key of a function's code asset.
pub fn code_key_param(lid: &str) -> String {
    format!("{lid}CodeKey")
}

impl Function {
    /// Lambda's default when the stack does not say.
    pub fn timeout(&self) -> i64 {
        self.timeout_seconds.as_deref().map_or(30, |t| t.get())
    }
    pub fn grants(&self) -> &[At<Grant>] {
        self.grants.as_deref().map(Vec::as_slice).unwrap_or_default()
    }
    pub fn env(&self) -> &[EnvVar] {
        self.env.as_deref().map(|e| e.0.as_slice()).unwrap_or_default()
    }
    /// Default `X86_64`.
    pub fn architecture(&self) -> Architecture {
        self.architecture.as_deref().copied().unwrap_or(Architecture::X86_64)
    }
    /// The services the function reaches through NAT, as the stack states them.
    pub fn via_nat(&self) -> Vec<&'static ServiceDef> {
        self.egress_via_nat.iter().flat_map(|v| v.iter()).map(|s| s.0).collect()
    }
}

use super::value::EnvVar;

/// What the Lambda runtime needs to send trace segments (AWSXRayDaemonWriteAccess's two).
pub const XRAY_ACTIONS: &[&str] = &["xray:PutTraceSegments", "xray:PutTelemetryRecords"];
/// The EC2 actions Lambda uses to place a function in a VPC (those of AWS's
/// AWSLambdaVPCAccessExecutionRole, without its logs actions): the reads, which take no
/// resource, and the network-interface writes.
pub const VPC_DESCRIBE_ACTIONS: &[&str] = &["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"];
pub const VPC_ENI_ACTIONS: &[&str] =
    &["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"];

impl Hooks for Function {
    fn version(&self) -> Option<Version<'_>> {
        let word_of = |name: &str| Runtime::from_cfn(name).map(Runtime::word);
        Some(Version::Runtime { name: self.runtime.cfn(), loc: &self.runtime.loc, word_of })
    }
    fn grants(&self) -> &[At<Grant>] {
        Function::grants(self)
    }

    /// An existing VPC names its own subnets. (A deprecated runtime is TAP-VER-001's.)
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        if let (Some(vpc), Some(tier)) = (&self.vpc, &self.subnets) {
            if Existing::from_index(stack, vpc.index).is_some() {
                out.push(Finding::dsl(
                    Dsl::UnknownProperty,
                    tier.loc.clone(),
                    format!("{}: VPC `{}` is an existing one, whose subnets its own `subnets` names", stack.node(i).label, vpc.name),
                    "remove `subnets` here",
                ));
            }
        }
    }

    fn uses(&self, i: usize, stack: &Checked, out: &mut Vec<Use>) {
        // Lambda sends a failed asynchronous event with the function's role.
        if let Some(q) = &self.async_on_failure {
            out.push(Use {
                function: i,
                target: q.index,
                via: Via::AsyncFailure,
                loc: q.loc.clone(),
                levels: vec![&queue::SEND],
                service: None,
            });
        }
        for var in self.env() {
            let EnvValue::Attr(a) = &var.value else { continue };
            out.push(Use {
                function: i,
                target: a.target,
                via: Via::Env(var.name.clone()),
                loc: var.loc.clone(),
                levels: {
                    let levels = stack.node(a.target).target_spec().levels.iter();
                    match a.attr.level {
                        Some(needed) => levels.filter(|l| l.name == needed).collect(),
                        None => levels.filter(|l| l.satisfies_env).collect(),
                    }
                },
                service: a.attr.service.or(stack.node(a.target).target_spec().service),
            });
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let binding = cx.stack.binding(i).to_owned();
        let role = format!("{l}Role");
        // No AWS managed policy: AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole
        // grant the logs actions on every log group, and `logs:CreateLogGroup`, with which
        // Lambda re-creates a log group the stack deleted. The function writes only to its
        // own log group (DATA-001 makes every function declare one).
        let log_group = cx.stack.of::<LogGroup>().find(|(_, g)| g.function.index == i).map(|(g, _)| g);
        let mut runtime = Vec::new();
        if let Some(g) = log_group {
            runtime.push(json!({ "Sid": "OwnLogGroup", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": get_att(cx.lid(g), "Arn") }));
        }
        if self.vpc.is_some() {
            // What Lambda needs to attach the function to its subnets. The two Describe
            // actions work only on `*` (AWS's Lambda guide says so); the network-interface
            // actions are held to this account and region, which AWS documents for
            // DeleteNetworkInterface and which covers the interface, subnets and groups
            // CreateNetworkInterface names. AWS's own managed policy grants all on `*`.
            runtime.push(json!({ "Sid": "VpcDescribe", "Effect": "Allow", "Action": VPC_DESCRIBE_ACTIONS, "Resource": "*" }));
            runtime.push(json!({ "Sid": "VpcNetworkInterfaces", "Effect": "Allow", "Action": VPC_ENI_ACTIONS,
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*" } }));
        }
        // X-Ray tracing, on for every function: the segments say where a slow or failed
        // invocation spent its time. X-Ray defines no resource-level permissions, so these
        // two actions are on `*` (the guide's TAP-IAM-002 entry says so).
        runtime.push(json!({ "Sid": "Tracing", "Effect": "Allow", "Action": XRAY_ACTIONS, "Resource": "*" }));
        let role_props = json!({
            "AssumeRolePolicyDocument": service_trust("lambda.amazonaws.com", false),
            "Policies": role_policies(vec![("grants", cx.grant_statements(self.grants())), ("runtime", runtime)]),
        });
        cx.out.add(&role, "AWS::IAM::Role", role_props);

        cx.out.parameter(
            ASSET_BUCKET_PARAM,
            json!({ "Type": "String", "Description": "S3 bucket holding the packaged Lambda assets (see assets.json)", "MinLength": 3 }),
        );
        let key = code_key_param(&l);
        cx.out.parameter(
            &key,
            json!({ "Type": "String", "Description": format!("S3 key of the code asset of function `{binding}` (see assets.json)"), "MinLength": 1 }),
        );
        let arch = self.architecture().cfn();
        let mut props = json!({
            "FunctionName": sub(written(&self.name)),
            "Runtime": self.runtime.cfn(),
            "Handler": self.handler.as_deref().map(String::as_str).unwrap_or("bootstrap"),
            "Architectures": [arch],
            "Code": { "S3Bucket": r#ref(ASSET_BUCKET_PARAM), "S3Key": r#ref(&key) },
            "MemorySize": self.memory.as_deref().map_or(256, |m| m.get()),
            "Timeout": self.timeout(),
            "Role": get_att(&role, "Arn"),
            "TracingConfig": { "Mode": "Active" },
        });
        if let Some(env) = &self.env {
            let vars: serde_json::Map<String, Json> = env
                .0
                .iter()
                .map(|v| {
                    let value = match &v.value {
                        EnvValue::Literal(s) => json!(s),
                        EnvValue::Attr(a) => cx.attr(a),
                    };
                    (v.name.clone(), value)
                })
                .collect();
            props["Environment"] = json!({ "Variables": vars });
        }
        if let Some(vpc) = &self.vpc {
            let vpc_lid = cx.lid_of(vpc);
            let tier = self.subnets.as_deref().copied().unwrap_or(Subnets::Private);
            let groups: Vec<Json> = self.security_group.iter().map(|g| get_att(&cx.lid_of(g), "GroupId")).collect();
            let subnets = match Existing::from_index(cx.stack, vpc.index) {
                Some(existing) => existing.subnets(),
                None => cx.stack.get(vpc).subnets(&vpc_lid, tier),
            };
            props["VpcConfig"] = json!({ "SubnetIds": subnets, "SecurityGroupIds": groups });
        }
        if let Some(g) = log_group {
            props["LoggingConfig"] = json!({ "LogGroup": r#ref(cx.lid(g)), "LogFormat": "JSON" });
        }
        cx.out.add(&l, "AWS::Lambda::Function", props);
        cx.after_emptiers(&l, self.grants());
        self.synth_async(cx, &l);
    }
}

impl Function {
    /// The asynchronous invocation settings, when the stack states any.
    fn synth_async(&self, cx: &mut SynthCx<'_>, l: &str) {
        if self.async_retries.is_none() && self.async_max_age_seconds.is_none() && self.async_on_failure.is_none() {
            return;
        }
        let mut props = json!({ "FunctionName": r#ref(l), "Qualifier": "$LATEST" });
        if let Some(n) = &self.async_retries {
            props["MaximumRetryAttempts"] = json!(n.get());
        }
        if let Some(n) = &self.async_max_age_seconds {
            props["MaximumEventAgeInSeconds"] = json!(n.get());
        }
        if let Some(q) = &self.async_on_failure {
            props["DestinationConfig"] = json!({ "OnFailure": { "Destination": get_att(&cx.lid_of(q), "Arn") } });
        }
        cx.out.add(format!("{l}AsyncInvoke"), "AWS::Lambda::EventInvokeConfig", props);
    }
}

/// The `env` a function of a stack that did not decode wrote, as far as it reads: for the
/// bindings the macro still generates (`generate::bindings_unchecked`).
pub fn written_env(r: &crate::model::Resource) -> &[(String, crate::model::Value)] {
    match r.get("env") {
        Some(crate::model::Value::Map(env)) => env,
        _ => &[],
    }
}

/// The `target.level` grants such a function wrote.
pub fn written_grants(r: &crate::model::Resource) -> Vec<(&str, &str)> {
    match r.get("grants") {
        Some(crate::model::Value::List(items)) => items
            .iter()
            .filter_map(|g| match g {
                crate::model::Value::Dot { target, member } => Some((target.as_str(), member.as_str())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
