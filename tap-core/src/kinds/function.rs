//! `Function`: a Lambda function, its execution role (one statement per grant, exact
//! actions on exact ARNs) and its code, uploaded as an asset and referenced by S3 location.

use serde_json::{json, Map};

use super::*;
use crate::synth::{get_att, r#ref, sub, subnets, Json, ASSET_BUCKET_PARAM};
use crate::model::Value;

pub const RUNTIMES: &[&str] = &["ProvidedAl2023", "Python39", "Python312", "Python313", "Nodejs20", "Nodejs22", "Java21"];

pub const SPEC: Spec = Spec {
    word: "Function",
    noun: "function",
    props: &[
        opt("name", Ty::Name),
        req("code", Ty::Code),
        req("runtime", Ty::Word(RUNTIMES)),
        opt("handler", Ty::Str),
        opt("architecture", Ty::Word(&["X86_64", "Arm64"])),
        opt("memory", Ty::Int { min: 128, max: 10240 }),
        opt("timeout_seconds", Ty::Int { min: 1, max: 900 }),
        opt("vpc", Ty::Ref(&[Kind::Vpc])),
        opt("subnets", SUBNETS),
        opt("security_group", Ty::Ref(&[Kind::SecurityGroup])),
        opt("env", Ty::Env),
        opt("grants", Ty::List(&Ty::Grant)),
        opt("egress_via_nat", Ty::List(&Ty::Word(Service::WORDS))),
    ],
    attrs: &["name", "arn"],
    access: &[],
    naming: Some(Naming { min: 1, max: 64, extra: "-_", lowercase: false, letter_first: false }),
    service: None,
    vpc_port: None,
    stateful: false,
};

/// The template parameter holding the S3 key of a function's code asset.
pub fn code_key_param(lid: &str) -> String {
    format!("{lid}CodeKey")
}

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let binding = r.binding.clone().unwrap_or_default();
    let role = format!("{l}Role");
    let in_vpc = r.get("vpc").is_some();
    let managed = if in_vpc { "AWSLambdaVPCAccessExecutionRole" } else { "AWSLambdaBasicExecutionRole" };
    let statements: Vec<Json> = r.list("grants").iter().filter_map(|g| statement(cx, g)).collect();
    let mut role_props = json!({
        "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
        "ManagedPolicyArns": [{ "Fn::Sub": format!("arn:${{AWS::Partition}}:iam::aws:policy/service-role/{managed}") }],
    });
    if !statements.is_empty() {
        role_props["Policies"] = json!([{ "PolicyName": "grants", "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }]);
    }
    cx.add(&role, "AWS::IAM::Role", role_props);

    cx.parameter(
        ASSET_BUCKET_PARAM,
        json!({ "Type": "String", "Description": "S3 bucket holding the packaged Lambda assets (see assets.json)", "MinLength": 3 }),
    );
    let key = code_key_param(&l);
    cx.parameter(
        &key,
        json!({ "Type": "String", "Description": format!("S3 key of the code asset of function `{binding}` (see assets.json)"), "MinLength": 1 }),
    );
    let runtime = match r.word("runtime").unwrap_or("ProvidedAl2023") {
        "ProvidedAl2023" => "provided.al2023",
        "Python39" => "python3.9",
        "Python312" => "python3.12",
        "Python313" => "python3.13",
        "Nodejs20" => "nodejs20.x",
        "Nodejs22" => "nodejs22.x",
        _ => "java21",
    };
    let mut props = json!({
        "FunctionName": sub(r.str("name").unwrap_or_default()),
        "Runtime": runtime,
        "Handler": r.str("handler").unwrap_or("bootstrap"),
        "Architectures": [if r.word("architecture") == Some("Arm64") { "arm64" } else { "x86_64" }],
        "Code": { "S3Bucket": r#ref(ASSET_BUCKET_PARAM), "S3Key": r#ref(&key) },
        "MemorySize": r.int("memory").unwrap_or(256),
        "Timeout": r.int("timeout_seconds").unwrap_or(30),
        "Role": get_att(&role, "Arn"),
    });
    if let Some(Value::Map(env)) = r.get("env") {
        let vars: Map<String, Json> = env.iter().map(|(k, v)| (k.clone(), cx.value(v))).collect();
        props["Environment"] = json!({ "Variables": vars });
    }
    if in_vpc {
        let (vi, vpc) = cx.target(r, "vpc");
        let vpc_lid = cx.lid(vi).to_owned();
        let mut groups = Vec::new();
        if r.get("security_group").is_some() {
            groups.push(get_att(&cx.target_lid(r, "security_group"), "GroupId"));
        }
        props["VpcConfig"] = json!({
            "SubnetIds": subnets(&vpc_lid, vpc, r.word("subnets").unwrap_or("Private")),
            "SecurityGroupIds": groups,
        });
    }
    let log_group = cx
        .stack
        .resources
        .iter()
        .position(|g| g.kind == Kind::LogGroup && g.target("function") == Some(binding.as_str()));
    if let Some(g) = log_group {
        props["LoggingConfig"] = json!({ "LogGroup": r#ref(cx.lid(g)), "LogFormat": "JSON" });
    }
    cx.add(&l, "AWS::Lambda::Function", props);
}

/// One IAM statement for a grant: the access level's actions on the target's ARNs.
fn statement(cx: &Cx, grant: &Value) -> Option<Json> {
    match grant {
        Value::Ref { target, attr: Some(level) } => {
            let (i, res) = cx.lookup(target);
            let lid = cx.lid(i);
            let access = res.kind.spec().access(level)?;
            let arn = res.kind.attr(cx, lid, res, "arn");
            let resources = match (res.kind, level.as_str()) {
                (Kind::Bucket, "write") => json!([{ "Fn::Join": ["", [arn, "/*"]] }]),
                (Kind::Bucket, _) => json!([arn.clone(), { "Fn::Join": ["", [arn, "/*"]] }]),
                _ => json!([arn]),
            };
            Some(json!({ "Sid": crate::ids::pascal(&format!("{target} {level}")), "Effect": "Allow", "Action": access.actions, "Resource": resources }))
        }
        Value::Call { name, args } if name == "Raw" => {
            let strings = |v: Option<&Value>| -> Vec<Json> {
                match v {
                    Some(Value::List(items)) => items.iter().filter_map(|i| i.as_str().map(|s| json!(s))).collect(),
                    _ => Vec::new(),
                }
            };
            Some(json!({ "Effect": "Allow", "Action": strings(args.first()), "Resource": strings(args.get(1)) }))
        }
        _ => None,
    }
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "name" => r#ref(lid),
        _ => get_att(lid, "Arn"),
    }
}
