//! The bucket emptier, the one function tap writes itself (`tap-core/src/kinds/
//! bucket_emptier.py`), run as Lambda would run it (`scripts/custom-resource.py`) on its
//! Create, Update and Delete events against the emulator's S3; and the deletion order the
//! template gives it: every writer of the bucket is deleted before it empties.

use aws_sdk_s3::primitives::ByteStream;
use serde_json::{json, Value as Json};

const TAG: &str = tap::kinds::bucket::EMPTY_ON_DELETE_TAG;

struct Emulator {
    s3: aws_sdk_s3::Client,
}

async fn emulator() -> Emulator {
    let vars = tap_integration_tests::services_env();
    let get = |k: &str| {
        vars.get(k).cloned().unwrap_or_else(|| {
            panic!("{k} is not set: start the services with `scripts/services start` (scripts/test does)")
        })
    };
    let endpoint = get("TAP_AWS_ENDPOINT");
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "emptier-test"))
        .load()
        .await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&sdk).force_path_style(true).build());
    Emulator { s3 }
}

impl Emulator {
    /// One event through the handler; the response it sent CloudFormation.
    fn event(&self, request: &str, bucket: &str) -> Json {
        let event = tap_integration_tests::custom_resource_event(
            request,
            "Custom::S3AutoDeleteObjects",
            bucket,
            json!({ "BucketName": bucket }),
        );
        tap_integration_tests::run_custom_resource("bucket_emptier.py", &event)
    }

    /// A bucket holding two versions of one object, a deleted object (a delete marker)
    /// and a plain one, with a bucket policy of its own; tagged for emptying or not. (Not
    /// tap's TLS-only statement: the emulator evaluates bucket policies, and its endpoint is
    /// plain HTTP, so that statement would deny the emptier too.)
    async fn bucket(&self, name: &str, tagged: bool) {
        let s3 = &self.s3;
        s3.create_bucket().bucket(name).send().await.unwrap();
        let versioning = aws_sdk_s3::types::VersioningConfiguration::builder()
            .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
            .build();
        s3.put_bucket_versioning().bucket(name).versioning_configuration(versioning).send().await.unwrap();
        for (key, body) in [("a.json", "1"), ("a.json", "2"), ("b.json", "3"), ("c.json", "4")] {
            s3.put_object().bucket(name).key(key).body(ByteStream::from_static(body.as_bytes())).send().await.unwrap();
        }
        s3.delete_object().bucket(name).key("b.json").send().await.unwrap();
        let policy = json!({ "Version": "2012-10-17", "Statement": [{ "Sid": "AuditorReads", "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{name}/*") }] });
        s3.put_bucket_policy().bucket(name).policy(policy.to_string()).send().await.unwrap();
        if tagged {
            let tag = aws_sdk_s3::types::Tag::builder().key(TAG).value("true").build().unwrap();
            let tagging = aws_sdk_s3::types::Tagging::builder().tag_set(tag).build().unwrap();
            s3.put_bucket_tagging().bucket(name).tagging(tagging).send().await.unwrap();
        }
    }

    /// (object versions, delete markers) left in the bucket.
    async fn left(&self, name: &str) -> (usize, usize) {
        let v = self.s3.list_object_versions().bucket(name).send().await.unwrap();
        (v.versions().len(), v.delete_markers().len())
    }

    async fn policy_sids(&self, name: &str) -> Vec<String> {
        let p = self.s3.get_bucket_policy().bucket(name).send().await.unwrap();
        let p: Json = serde_json::from_str(p.policy().unwrap()).unwrap();
        p["Statement"].as_array().unwrap().iter().map(|s| s["Sid"].as_str().unwrap_or_default().to_owned()).collect()
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

#[tokio::test]
async fn create_and_update_keep_everything_and_name_the_bucket() {
    let e = emulator().await;
    let bucket = unique("emptier-keep");
    e.bucket(&bucket, true).await;
    for request in ["Create", "Update"] {
        let response = e.event(request, &bucket);
        assert_eq!(response["Status"], "SUCCESS", "{request}: {response}");
        // The physical id is the bucket, so an update does not turn into a replacement.
        assert_eq!(response["PhysicalResourceId"], bucket.as_str(), "{request}: {response}");
        assert_eq!(e.left(&bucket).await, (4, 1), "{request} touched the objects");
    }
    assert_eq!(e.policy_sids(&bucket).await, ["AuditorReads"]);
}

#[tokio::test]
async fn delete_denies_writes_then_removes_every_version_and_marker() {
    let e = emulator().await;
    let bucket = unique("emptier-delete");
    e.bucket(&bucket, true).await;
    let response = e.event("Delete", &bucket);
    assert_eq!(
        (response["Status"].as_str(), response["PhysicalResourceId"].as_str()),
        (Some("SUCCESS"), Some(bucket.as_str())),
        "{response}"
    );
    assert_eq!(e.left(&bucket).await, (0, 0));
    // The bucket's own statements stay; the deny on writes was added before the listing.
    assert_eq!(e.policy_sids(&bucket).await, ["AuditorReads", "TapDenyWritesWhileEmptying"]);
    let late = e.s3.put_object().bucket(&bucket).key("late.json").body(ByteStream::from_static(b"5")).send().await;
    assert!(late.is_err(), "a write after emptying began was accepted");
    assert_eq!(e.left(&bucket).await, (0, 0));
    e.s3.delete_bucket().bucket(&bucket).send().await.expect("the emptied bucket deletes");
    // Deleting it again (a retried delete) finds nothing and succeeds.
    assert_eq!(e.event("Delete", &bucket)["Status"], "SUCCESS");
}

#[tokio::test]
async fn delete_refuses_to_empty_a_bucket_the_stack_keeps() {
    let e = emulator().await;
    let bucket = unique("emptier-untagged");
    e.bucket(&bucket, false).await;
    let response = e.event("Delete", &bucket);
    assert_eq!(response["Status"], "SUCCESS", "{response}");
    assert_eq!(e.left(&bucket).await, (4, 1), "a bucket without the tag was emptied");
    assert_eq!(e.policy_sids(&bucket).await, ["AuditorReads"]);
}

#[tokio::test]
async fn a_failure_is_reported_to_cloudformation_with_its_reason() {
    let e = emulator().await;
    let response = e.event("Delete", "Not_A_Valid_Bucket_Name!");
    assert_eq!(response["Status"], "FAILED", "{response}");
    assert!(!response["Reason"].as_str().unwrap_or_default().is_empty(), "{response}");
    assert_eq!(response["PhysicalResourceId"], "Not_A_Valid_Bucket_Name!");
}

#[test]
fn the_template_deletes_every_writer_before_emptying_and_the_code_fits_inline() {
    let stack = tap_stack::product_catalog();
    for (lifecycle, template, _) in tap::synth_checked(&stack).unwrap_or_else(|f| panic!("{f}")).all {
        let lifecycle = lifecycle.dir();
        let t: Json = serde_json::from_str(&template.to_json()).unwrap();
        let r = &t["Resources"];
        let emptier = r.as_object().unwrap().iter().find(|(_, v)| v["Type"] == "Custom::S3AutoDeleteObjects");
        if lifecycle == "durable" {
            assert!(emptier.is_none(), "a durable archive is kept, never emptied");
            assert!(r["ArchiveBucket"]["Properties"]["Tags"].is_null());
            continue;
        }
        let (custom, _) = emptier.expect("an ephemeral stack empties its archive");
        // The processor writes to the bucket: it (and with it its event source mapping,
        // which names it) is deleted before the emptier runs.
        assert_eq!(r["Processor"]["DependsOn"], json!([custom]), "{lifecycle}");
        assert_eq!(r["ArchiveBucket"]["Properties"]["Tags"], json!([{ "Key": TAG, "Value": "true" }]));
        let code = r["ArchiveBucketAutoDeleteFunction"]["Properties"]["Code"]["ZipFile"].as_str().unwrap();
        assert!(
            code.len() <= 4096,
            "CloudFormation takes at most 4096 bytes of inline code, the emptier has {}",
            code.len()
        );
        assert!(code.contains("def handler"));
        // No AWS managed policy: its logs actions would name every log group.
        assert!(r["ArchiveBucketAutoDeleteRole"]["Properties"]["ManagedPolicyArns"].is_null());
    }
}
