//! `Bucket`: an S3 bucket with encryption, public access blocked, a TLS-only policy, a
//! lifecycle (Glacier, expiry), and, with `auto_delete_objects`, a custom resource that
//! empties it when the stack is deleted (CloudFormation cannot delete a non-empty bucket).

use super::prelude::*;

words! {
    pub enum BucketEncryption { S3Managed, Kms, None }
}

props! {
    pub struct Bucket {
        name: opt Name,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
        /// Default by lifecycle: on when ephemeral (emptied before deletion), off when durable.
        auto_delete_objects: opt bool,
        encryption: opt BucketEncryption,
        block_public_access: opt bool,
        /// The objects anyone may read, as a key pattern (`"status/*"`, `"*"`): a public
        /// site or status page. The bucket policy allows `s3:GetObject` on them to anyone
        /// (over TLS) and public ACLs stay blocked. TAP-PUBLIC-001 reports it; the resource
        /// acknowledges it with a reason (`#[tap::expect("TAP-PUBLIC-001", ..)]`).
        public_read: opt String,
        enforce_tls: opt bool,
        /// Default by lifecycle: off when ephemeral, on when durable.
        versioned: opt bool,
        glacier_after_days: opt Int<1, 36500>,
        expire_after_days: opt Int<1, 36500>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("name", AttrExpr::Ref), attr("arn", AttrExpr::GetAtt("Arn"))],
    levels: &[
        // Listing names the bucket itself; objects are `arn/*`.
        LevelDef { name: "read", actions: &["s3:GetObject", "s3:ListBucket"], arns: ArnShape::ArnAndUnder("/*"), satisfies_env: true },
        LevelDef { name: "write", actions: &["s3:PutObject"], arns: ArnShape::Under("/*"), satisfies_env: true },
        LevelDef {
            name: "read_write",
            actions: &["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
            arns: ArnShape::ArnAndUnder("/*"),
            satisfies_env: true,
        },
    ],
    arn: Some(AttrExpr::GetAtt("Arn")),
    naming: Some(Naming { min: 3, max: 63, extra: "-.", lowercase: true, letter_first: false }),
    service: Some(&ServiceDef { word: "S3", endpoint: "s3", gateway: true }),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    exported: Exported::Always,
    handle: Some(HandleDef { ty: "Bucket", attr: "name" }),
    cfn_type: Some("AWS::S3::Bucket"),
    existing: Some(&ExistingDef {
        id: "name",
        param_type: "String",
        pattern: Some("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"),
        derive: &[("arn", "arn:${AWS::Partition}:s3:::{id}")],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Bucket", "bucket", "An S3 bucket: encrypted, private, TLS-only, with a lifecycle.", <Bucket as super::decode::Decode>::PROPS)
};

/// The emptier: tap's own code (no third-party packages: boto3 and cfnresponse ship with
/// the runtime), the one function tap writes inline so a stack needs a single asset.
const EMPTIER: &str = include_str!("bucket_emptier.py");

/// The tag the emptier requires before it empties a bucket (see `bucket_emptier.py`).
pub const EMPTY_ON_DELETE_TAG: &str = "tap:auto-delete-objects";

/// The logical id of the custom resource that empties bucket `l`.
fn emptier_lid(l: &str) -> String {
    format!("{l}AutoDeleteObjects")
}

impl Bucket {
    /// Emptied by tap's custom resource before CloudFormation deletes it: when written,
    /// else when this template does not keep it.
    fn emptied(&self, cx: &SynthCx<'_>, i: usize) -> bool {
        self.auto_delete_objects.as_deref().copied().unwrap_or(!cx.keeps(i))
    }
}


impl Hooks for Bucket {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let sse = matches!(self.encryption.as_deref(), Some(BucketEncryption::S3Managed | BucketEncryption::Kms));
        vec![
            Encrypted::of(&self.encryption, i, sse, "declares no server-side encryption", "write `encryption: S3Managed` (or `Kms`)"),
            Encrypted::of(&self.enforce_tls, i, on(&self.enforce_tls), "accepts requests without TLS", "write `enforce_tls: true`"),
        ]
    }
    fn validate(&self, _i: usize, _stack: &Checked, out: &mut Vec<Finding>) {
        let blocked = self.block_public_access.as_ref().filter(|b| ***b);
        if let (Some(_), Some(block)) = (&self.public_read, blocked) {
            out.push(Finding::dsl(
                Dsl::WrongType,
                block.loc.clone(),
                "`block_public_access: true` contradicts `public_read`: S3 would refuse the public policy",
                "remove `block_public_access` (with `public_read`, public ACLs stay blocked and only the policy opens reads)",
            ));
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let mut props = json!({
            "BucketName": sub(written(&self.name)),
            "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
        });
        match self.encryption.as_deref() {
            Some(BucketEncryption::S3Managed) => {
                props["BucketEncryption"] = json!({ "ServerSideEncryptionConfiguration": [
                    { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] });
            }
            Some(BucketEncryption::Kms) => {
                props["BucketEncryption"] = json!({ "ServerSideEncryptionConfiguration": [
                    { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms" }, "BucketKeyEnabled": true }] });
            }
            Some(BucketEncryption::None) | None => {}
        }
        // Public reads go through the policy alone: ACLs stay blocked either way.
        if self.public_read.is_some() {
            props["PublicAccessBlockConfiguration"] = json!({
                "BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": false,
            });
        } else if on(&self.block_public_access) {
            props["PublicAccessBlockConfiguration"] = json!({
                "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
            });
        }
        // Derived from the lifecycle unless written: a kept bucket keeps every version of
        // every object; a deleted one is emptied first (CloudFormation cannot delete a
        // bucket that holds objects).
        let keeps = cx.keeps(i);
        let versioned = self.versioned.as_deref().copied().unwrap_or(keeps);
        let emptied = self.emptied(cx, i);
        if versioned {
            props["VersioningConfiguration"] = json!({ "Status": "Enabled" });
        }
        let mut rule = json!({ "Id": "retention", "Status": "Enabled", "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 } });
        if let Some(days) = &self.glacier_after_days {
            rule["Transitions"] = json!([{ "StorageClass": "GLACIER", "TransitionInDays": days.get() }]);
        }
        if let Some(days) = &self.expire_after_days {
            rule["ExpirationInDays"] = json!(days.get());
            if versioned {
                rule["NoncurrentVersionExpiration"] = json!({ "NoncurrentDays": days.get() });
            }
        }
        props["LifecycleConfiguration"] = json!({ "Rules": [rule] });
        // A kept bucket records every request in a log bucket of its own (kept too).
        if keeps {
            props["LoggingConfiguration"] = json!({ "DestinationBucketName": r#ref(&format!("{l}AccessLogs")), "LogFilePrefix": "access/" });
        }
        if emptied {
            props["Tags"] = json!([{ "Key": EMPTY_ON_DELETE_TAG, "Value": "true" }]);
        }
        cx.add_data(i, &l, "AWS::S3::Bucket", props);

        // One policy per bucket (S3 keeps one): the TLS-only deny and the public reads.
        let mut statements = Vec::new();
        if let Some(keys) = &self.public_read {
            statements.push(json!({ "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": join(get_att(&l, "Arn"), &format!("/{}", keys.as_str())) }));
        }
        if on(&self.enforce_tls) {
            statements.push(deny_insecure_transport("s3:*", json!([get_att(&l, "Arn"), join(get_att(&l, "Arn"), "/*")])));
        }
        if !statements.is_empty() {
            cx.out.add(
                format!("{l}Policy"),
                "AWS::S3::BucketPolicy",
                json!({ "Bucket": r#ref(&l), "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }),
            );
        }
        if emptied {
            auto_delete(cx, &l);
        }
        if keeps {
            access_logs(cx, &l);
        }
    }

    fn emptied_by(&self, cx: &SynthCx<'_>, i: usize) -> Option<String> {
        self.emptied(cx, i).then(|| emptier_lid(cx.lid(i)))
    }
}

/// The server access log bucket of kept bucket `l`: encrypted, private, TLS-only, versioned
/// and kept like it, logs expiring after a year, written only by S3's logging service on
/// behalf of `l` in this account.
fn access_logs(cx: &mut SynthCx<'_>, l: &str) {
    let logs = format!("{l}AccessLogs");
    cx.out.add_with_policy(
        &logs,
        "AWS::S3::Bucket",
        json!({
            "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
            "BucketEncryption": { "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] },
            "PublicAccessBlockConfiguration": { "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true },
            "VersioningConfiguration": { "Status": "Enabled" },
            "LifecycleConfiguration": { "Rules": [{ "Id": "retention", "Status": "Enabled", "ExpirationInDays": 365, "NoncurrentVersionExpiration": { "NoncurrentDays": 30 } }] },
        }),
        crate::cfn::DeletionPolicy::Retain,
    );
    cx.out.add(
        format!("{logs}Policy"),
        "AWS::S3::BucketPolicy",
        json!({
            "Bucket": r#ref(&logs),
            "PolicyDocument": { "Version": "2012-10-17", "Statement": [
                { "Sid": "ServerAccessLogs", "Effect": "Allow", "Principal": { "Service": "logging.s3.amazonaws.com" }, "Action": "s3:PutObject",
                  "Resource": join(get_att(&logs, "Arn"), "/access/*"),
                  "Condition": { "ArnLike": { "aws:SourceArn": get_att(l, "Arn") }, "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } } },
                deny_insecure_transport("s3:*", json!([get_att(&logs, "Arn"), join(get_att(&logs, "Arn"), "/*")])),
            ]},
        }),
    );
}

fn auto_delete(cx: &mut SynthCx<'_>, l: &str) {
    let custom = emptier_lid(l);
    let bucket_arn = get_att(l, "Arn");
    let function = super::tap_functions::add(
        &mut cx.out,
        &cx.stack.name,
        &format!("{l}AutoDelete"),
        "emptier",
        json!({ "Fn::Sub": format!("Empties ${{{l}}} when the stack is deleted") }),
        EMPTIER,
        vec![
            json!({ "Sid": "ReadTagDenyWrites", "Effect": "Allow",
                    "Action": ["s3:GetBucketTagging", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:ListBucket", "s3:ListBucketVersions"],
                    "Resource": bucket_arn.clone() }),
            json!({ "Sid": "Empty", "Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": join(bucket_arn, "/*") }),
        ],
    );
    // Created after the bucket, so deleted before it; every resource that writes to the
    // bucket depends on this one (`Hooks::emptied_by`), so it is deleted after them.
    cx.out.add(&custom, "Custom::S3AutoDeleteObjects", json!({ "ServiceToken": get_att(&function, "Arn"), "BucketName": r#ref(l) }));
}
