//! `Function`: a Lambda function, its execution role (one statement per grant, exact
//! actions on exact ARNs) and its code, uploaded as an asset and referenced by S3 location.
//! Its `env` is also what `#[stack]` turns into the function's typed `Env` ([`bindings`]).

use std::path::PathBuf;

use super::database::Database;
use super::existing::Existing;
use super::log_group::LogGroup;
use super::prelude::*;
use super::schema::AttrTy;
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
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    naming: Some(Naming { min: 1, max: 64, extra: "-_", lowercase: false, letter_first: false }),
    exported: true,
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
    /// What packaging it needs (`stack.json`, read by `cargo tap package`): its code (a
    /// binary of the workspace, or a directory), runtime, architecture, and the template
    /// parameter that receives its asset's key.
    pub fn asset(&self, stack: &Checked, i: usize) -> Json {
        let code = match &*self.code {
            Code::Bin(b) => json!({ "bin": b }),
            Code::Dir(d) => json!({ "dir": stack.root.join(d) }),
            Code::Inline(_) => json!({ "inline": true }),
        };
        json!({
            "binding": stack.binding(i),
            "logical_id": stack.lid(i),
            "code_parameter": code_key_param(stack.lid(i)),
            "code": code,
            "runtime": self.runtime.cfn(),
            "architecture": match self.architecture.as_deref() { Some(Architecture::Arm64) => "arm64", _ => "x86_64" },
        })
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

    fn synth(&self, cx: &mut SynthCx, i: usize) {
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
        let arch = match self.architecture.as_deref() {
            Some(Architecture::Arm64) => "arm64",
            Some(Architecture::X86_64) | None => "x86_64",
        };
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
    }
}

/// What `#[stack]` generates for one function: its `Env` fields, the schemas of the
/// databases it uses and the handles of the resources it was granted.
pub struct FunctionBindings {
    /// The function's binding: the module name.
    pub module: String,
    pub vars: Vec<BoundVar>,
    /// `<DB>_SCHEMA` constant name and the schema file's path.
    pub schemas: Vec<(String, PathBuf)>,
    pub handles: Vec<BoundHandle>,
}

/// A resource the function was granted and binds the identifying attribute of: a field of
/// its `Handles`, `archive_bucket: tap::aws::Bucket<tap::aws::access::Write>`.
pub struct BoundHandle {
    /// The resource's binding: the field name.
    pub field: String,
    /// The handle type in `tap::aws`: `Bucket`.
    pub ty: &'static str,
    /// The access marker in `tap::aws::access`: `Write` (the level's name in PascalCase).
    pub access: String,
    /// The variable holding the identifier: `ARCHIVE_BUCKET`.
    pub var: String,
}

impl BoundHandle {
    /// The level as the stack writes it: `read_write`.
    pub fn access_level(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.access.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    /// The handle of `target` when the function binds its identifying attribute `member`
    /// in `var` and holds exactly the grants `levels` on it: one level gives the handle's
    /// access; none, or more than one (TAP-IAM-002 asks for the combined level), gives none.
    fn of(target: &str, spec: &Spec, member: &str, var: &str, levels: &[&str]) -> Option<BoundHandle> {
        let handle = spec.handle.as_ref().filter(|h| h.attr == member)?;
        let [level] = levels else { return None };
        spec.level(level)?;
        Some(BoundHandle { field: target.to_owned(), ty: handle.ty, access: pascal(level), var: var.to_owned() })
    }
}

/// Adds `h` unless the resource already has its handle (two variables bound to it).
fn push_handle(handles: &mut Vec<BoundHandle>, h: Option<BoundHandle>) {
    if let Some(h) = h {
        if !handles.iter().any(|o| o.field == h.field) {
            handles.push(h);
        }
    }
}

pub struct BoundVar {
    pub var: String,
    /// What the stack binds it to: `database.endpoint`, or `the literal "..."`.
    pub source: String,
    pub ty: AttrTy,
}

/// The bindings of a stack that failed validation, read from the bag as far as it goes
/// (variables typed by the attribute they name, no schemas): the macro still emits them,
/// so code that reads a function's `Env` reports nothing beyond the stack's own errors.
pub fn bindings_unchecked(stack: &crate::model::Stack) -> Vec<FunctionBindings> {
    use crate::model::Value;
    // An existing resource is typed as the kind it stands for.
    let spec_of = |target: &str| {
        let r = stack.resources.iter().find(|r| r.binding.as_deref() == Some(target))?;
        let kind = Kind::from_word(&r.kind)?;
        Some(if kind == Kind::Existing { super::existing::stands_for(r)? } else { kind }.spec())
    };
    let attr_ty = |target: &str, member: &str| spec_of(target).and_then(|s| s.attr(member)).map_or(AttrTy::Text, |a| a.ty);
    stack
        .resources
        .iter()
        .filter(|r| r.kind == SPEC.word)
        .filter_map(|r| {
            let module = r.binding.clone()?;
            let Some(Value::Map(env)) = r.get("env") else {
                return Some(FunctionBindings { module, vars: Vec::new(), schemas: Vec::new(), handles: Vec::new() });
            };
            let grants: Vec<(&str, &str)> = match r.get("grants") {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(|g| match g {
                        Value::Dot { target, member } => Some((target.as_str(), member.as_str())),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let mut vars = Vec::new();
            let mut handles = Vec::new();
            for (var, value) in env {
                match value {
                    Value::Dot { target, member } => {
                        vars.push(BoundVar { var: var.clone(), source: format!("{target}.{member}"), ty: attr_ty(target, member) });
                        let levels: Vec<&str> = grants.iter().filter(|(t, _)| t == target).map(|(_, l)| *l).collect();
                        push_handle(&mut handles, spec_of(target).and_then(|s| BoundHandle::of(target, s, member, var, &levels)));
                    }
                    other => vars.push(BoundVar { var: var.clone(), source: format!("the literal {:?}", other.as_str().unwrap_or_default()), ty: AttrTy::Text }),
                }
            }
            Some(FunctionBindings { module, vars, schemas: Vec::new(), handles })
        })
        .collect()
}

/// The bindings of every bound function of a checked stack.
pub fn bindings(stack: &Checked) -> Vec<FunctionBindings> {
    stack
        .of::<Function>()
        .filter_map(|(i, f)| {
            let module = stack.node(i).binding.clone()?;
            let mut vars = Vec::new();
            let mut schemas: Vec<(String, PathBuf)> = Vec::new();
            let mut handles = Vec::new();
            for v in f.env() {
                let (source, ty) = match &v.value {
                    EnvValue::Attr(a) => (format!("{}.{}", a.name, a.attr.name), a.attr.ty),
                    EnvValue::Literal(s) => (format!("the literal {s:?}"), AttrTy::Text),
                };
                vars.push(BoundVar { var: v.name.clone(), source, ty });
                let EnvValue::Attr(a) = &v.value else { continue };
                let levels: Vec<&str> = f
                    .grants()
                    .iter()
                    .filter_map(|g| match &g.value {
                        Grant::Level { target, level, .. } if *target == a.target => Some(level.name),
                        _ => None,
                    })
                    .collect();
                push_handle(&mut handles, BoundHandle::of(&a.name, stack.node(a.target).target_spec(), a.attr.name, &v.name, &levels));
                let Some(db) = Database::from_index(stack, a.target) else { continue };
                let Some(schema) = &db.schema else { continue };
                let name = format!("{}_SCHEMA", a.name.to_uppercase());
                let path = stack.root.join(&schema.0);
                // A missing file is TAP-DATA-002's to report, not include_str!'s.
                if path.is_file() && !schemas.iter().any(|(n, _)| *n == name) {
                    schemas.push((name, path));
                }
            }
            Some(FunctionBindings { module, vars, schemas, handles })
        })
        .collect()
}
