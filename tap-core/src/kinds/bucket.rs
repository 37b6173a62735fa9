//! `Bucket`: an S3 bucket with encryption, public access blocked, a TLS-only policy, a
//! lifecycle (Glacier, expiry), and, with `auto_delete_objects`, a custom resource that
//! empties it when the stack is deleted (CloudFormation cannot delete a non-empty bucket).

use serde_json::json;

use super::*;
use crate::synth::{get_att, r#ref, sub, Json};

pub const SPEC: Spec = Spec {
    word: "Bucket",
    noun: "bucket",
    props: &[
        opt("name", Ty::Name),
        opt("removal", REMOVAL),
        opt("auto_delete_objects", Ty::Bool),
        opt("encryption", Ty::Word(&["S3Managed", "Kms", "None"])),
        opt("block_public_access", Ty::Bool),
        opt("enforce_tls", Ty::Bool),
        opt("versioned", Ty::Bool),
        opt("glacier_after_days", Ty::Int { min: 1, max: 36500 }),
        opt("expire_after_days", Ty::Int { min: 1, max: 36500 }),
    ],
    attrs: &["name", "arn"],
    access: &[
        Access { level: "read", actions: &["s3:GetObject", "s3:ListBucket"] },
        Access { level: "write", actions: &["s3:PutObject", "s3:AbortMultipartUpload"] },
        Access { level: "read_write", actions: &["s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:AbortMultipartUpload"] },
    ],
    naming: Some(Naming { min: 3, max: 63, extra: "-.", lowercase: true, letter_first: false }),
    service: Some(Service::S3),
    vpc_port: None,
    stateful: true,
};

/// The emptier: tap's own code (no third-party packages: boto3 and cfnresponse ship with
/// the runtime), the one function tap writes inline so a stack needs a single asset.
const EMPTIER: &str = r#"import boto3, cfnresponse

def handler(event, context):
    try:
        if event["RequestType"] == "Delete":
            bucket = boto3.resource("s3").Bucket(event["ResourceProperties"]["BucketName"])
            bucket.object_versions.delete()
            bucket.objects.delete()
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {})
    except Exception as error:
        print(f"emptying failed: {error!r}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {"Reason": str(error)})
"#;

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let mut props = json!({
        "BucketName": sub(r.str("name").unwrap_or_default()),
        "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
    });
    match r.word("encryption") {
        Some("S3Managed") => {
            props["BucketEncryption"] = json!({ "ServerSideEncryptionConfiguration": [
                { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] });
        }
        Some("Kms") => {
            props["BucketEncryption"] = json!({ "ServerSideEncryptionConfiguration": [
                { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms" }, "BucketKeyEnabled": true }] });
        }
        _ => {}
    }
    if r.bool("block_public_access") == Some(true) {
        props["PublicAccessBlockConfiguration"] = json!({
            "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
        });
    }
    if r.bool("versioned") == Some(true) {
        props["VersioningConfiguration"] = json!({ "Status": "Enabled" });
    }
    let mut rule = json!({ "Id": "retention", "Status": "Enabled", "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 } });
    if let Some(days) = r.int("glacier_after_days") {
        rule["Transitions"] = json!([{ "StorageClass": "GLACIER", "TransitionInDays": days }]);
    }
    if let Some(days) = r.int("expire_after_days") {
        rule["ExpirationInDays"] = json!(days);
        if r.bool("versioned") == Some(true) {
            rule["NoncurrentVersionExpiration"] = json!({ "NoncurrentDays": days });
        }
    }
    props["LifecycleConfiguration"] = json!({ "Rules": [rule] });
    cx.add_stateful(&l, "AWS::S3::Bucket", props, r);

    if r.bool("enforce_tls") == Some(true) {
        cx.add(
            format!("{l}Policy"),
            "AWS::S3::BucketPolicy",
            json!({
                "Bucket": r#ref(&l),
                "PolicyDocument": { "Version": "2012-10-17", "Statement": [{
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": { "AWS": "*" },
                    "Action": "s3:*",
                    "Resource": [get_att(&l, "Arn"), { "Fn::Join": ["", [get_att(&l, "Arn"), "/*"]] }],
                    "Condition": { "Bool": { "aws:SecureTransport": "false" } },
                }]},
            }),
        );
    }
    if r.bool("auto_delete_objects") == Some(true) {
        auto_delete(cx, &l);
    }
}

fn auto_delete(cx: &mut Cx, l: &str) {
    let role = format!("{l}AutoDeleteRole");
    let function = format!("{l}AutoDeleteFunction");
    let logs = format!("{l}AutoDeleteLogGroup");
    let custom = format!("{l}AutoDeleteObjects");
    cx.add(
        &role,
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
            "ManagedPolicyArns": [{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }],
            "Policies": [{ "PolicyName": "empty-bucket", "PolicyDocument": { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Action": ["s3:ListBucket", "s3:ListBucketVersions"], "Resource": get_att(l, "Arn") },
                { "Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                  "Resource": { "Fn::Join": ["", [get_att(l, "Arn"), "/*"]] } },
            ]}}],
        }),
    );
    cx.add(
        &function,
        "AWS::Lambda::Function",
        json!({
            "Description": { "Fn::Sub": format!("Empties ${{{l}}} when the stack is deleted") },
            "Runtime": "python3.13",
            "Handler": "index.handler",
            "Timeout": 900,
            "MemorySize": 256,
            "Role": get_att(&role, "Arn"),
            "Code": { "ZipFile": EMPTIER },
        }),
    );
    cx.add_with_removal(
        &logs,
        "AWS::Logs::LogGroup",
        json!({ "LogGroupName": { "Fn::Sub": format!("/aws/lambda/${{{function}}}") }, "RetentionInDays": 7 }),
        None,
    );
    // Created after, so deleted before, the bucket, and before the role it runs as.
    cx.add(&custom, "Custom::S3AutoDeleteObjects", json!({ "ServiceToken": get_att(&function, "Arn"), "BucketName": r#ref(l) }));
    cx.depends_on(&custom, &[&logs]);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, attr: &str) -> Json {
    match attr {
        "name" => r#ref(lid),
        _ => get_att(lid, "Arn"),
    }
}
