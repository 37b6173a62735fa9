//! The functions tap writes itself: custom resources that do what CloudFormation cannot
//! (empty a bucket before deleting it, take every rule off a VPC's default security group).
//! Each is inline Python (boto3 and cfnresponse ship with the runtime, so a stack needs no
//! extra asset) with a role holding exactly its `statements` plus its own log group, which
//! is named from the stack, not from the function, so the role can be scoped to it without
//! a cycle (role -> log group -> function -> role). Their handlers are the `.py` files
//! beside this one; `tests/integration/tests/{emptier,default_sg}.rs` run them against the
//! emulator.

use serde_json::{json, Value as Json};

use super::emit::{role_policies, service_trust, stack_log_group_name};
use crate::cfn::{get_att, r#ref, DeletionPolicy, Out};

/// The code CloudFormation stores inline: comment lines dropped, since `ZipFile` takes at
/// most 4096 bytes (the tests hold each handler under).
pub fn inline_code(source: &str) -> String {
    source.lines().filter(|l| !l.trim_start().starts_with('#')).map(|l| format!("{l}\n")).collect()
}

/// Writes `{prefix}Role`, `{prefix}LogGroup` and `{prefix}Function`; returns the function's
/// logical id. `purpose` names the log group (`/tap/<stack>/<prefix>-<purpose>-<suffix>`)
/// and describes the function.
pub fn add(
    out: &mut Out,
    stack: &str,
    prefix: &str,
    purpose: &str,
    description: Json,
    source: &str,
    statements: Vec<Json>,
) -> String {
    let role = format!("{prefix}Role");
    let logs = format!("{prefix}LogGroup");
    let function = format!("{prefix}Function");
    out.add_with_policy(
        &logs,
        "AWS::Logs::LogGroup",
        json!({ "LogGroupName": stack_log_group_name(stack, &format!("{prefix}-{purpose}")), "RetentionInDays": 7 }),
        DeletionPolicy::Delete,
    );
    let mut all = vec![
        json!({ "Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": get_att(&logs, "Arn") }),
    ];
    all.extend(statements);
    out.add(
        &role,
        "AWS::IAM::Role",
        json!({ "AssumeRolePolicyDocument": service_trust("lambda.amazonaws.com", false), "Policies": role_policies(vec![(purpose, all)]) }),
    );
    out.add(
        &function,
        "AWS::Lambda::Function",
        json!({
            "Description": description,
            "Runtime": "python3.13",
            "Handler": "index.handler",
            "Timeout": 900,
            "MemorySize": 256,
            "Role": get_att(&role, "Arn"),
            "Code": { "ZipFile": inline_code(source) },
            "LoggingConfig": { "LogGroup": r#ref(&logs), "LogFormat": "JSON" },
        }),
    );
    function
}
