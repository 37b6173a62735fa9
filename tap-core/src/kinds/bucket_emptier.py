# The bucket emptier: the custom resource tap adds beside a bucket the stack deletes
# (CloudFormation cannot delete a bucket that holds objects). It is the one function tap
# writes itself; tap-core embeds this file as the function's inline code, and
# tests/integration/tests/emptier.rs runs it against the emulator's S3.
#
# - Its physical id is the bucket's name, so an update that keeps the bucket keeps the
#   custom resource (and one that renames the bucket replaces it, emptying the old one).
# - It empties only a bucket that carries the tag tap:auto-delete-objects=true. The
#   template sets that tag exactly when the bucket is deleted with the stack, so a bucket
#   whose emptying was turned off (the tag removed in the same update) is never emptied.
# - Before emptying it denies every new write with a bucket policy statement: a writer
#   still running (its function is deleted first, see the template's DependsOn) cannot
#   put an object after the listing and make DeleteBucket fail.
# - Every version and delete marker is removed, so versioned buckets empty too.
import json

import boto3
import cfnresponse
from botocore.exceptions import ClientError

TAG = "tap:auto-delete-objects"
DENY_SID = "TapDenyWritesWhileEmptying"


def handler(event, context):
    bucket = event["ResourceProperties"]["BucketName"]
    try:
        if event["RequestType"] == "Delete":
            empty(boto3.client("s3"), bucket, partition(context))
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physicalResourceId=bucket)
    except Exception as error:  # report every failure to CloudFormation, never hang it
        print(json.dumps({"event": "emptying failed", "bucket": bucket, "error": repr(error)}))
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physicalResourceId=bucket, reason=str(error))


def partition(context):
    return context.invoked_function_arn.split(":")[1]


def empty(s3, bucket, partition):
    try:
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "NoSuchBucket":
            print(json.dumps({"event": "already gone", "bucket": bucket}))
            return
        if code != "NoSuchTagSet":
            raise
        tags = {}
    if tags.get(TAG) != "true":
        print(json.dumps({"event": "not emptied", "bucket": bucket, "reason": f"the bucket does not carry {TAG}=true: the stack keeps it"}))
        return
    deny_writes(s3, bucket, partition)
    removed = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        keys = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        removed += delete(s3, bucket, keys)
    # An unversioned bucket lists its objects as versions too; this pass is a safety net.
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        removed += delete(s3, bucket, [{"Key": o["Key"]} for o in page.get("Contents", [])])
    print(json.dumps({"event": "emptied", "bucket": bucket, "removed": removed}))


def delete(s3, bucket, keys):
    if not keys:
        return 0
    failed = s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True}).get("Errors", [])
    if failed:
        raise RuntimeError(f"{len(failed)} object(s) not deleted from {bucket}, first: {failed[0]}")
    return len(keys)


def deny_writes(s3, bucket, partition):
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchBucketPolicy":
            raise
        policy = {"Version": "2012-10-17", "Statement": []}
    if any(s.get("Sid") == DENY_SID for s in policy["Statement"]):
        return
    policy["Statement"].append({
        "Sid": DENY_SID,
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:PutObject",
        "Resource": f"arn:{partition}:s3:::{bucket}/*",
    })
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
