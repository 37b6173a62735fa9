"""Creates (or replaces) an IAM user with exactly one inline policy on the IAM-enforcing
emulator, and prints its new access key as JSON. Used by the grants test.

    .venv/bin/python scripts/iam-user.py ENDPOINT ADMIN_KEY_FILE USER POLICY_FILE
"""

import json
import sys

import boto3

endpoint, key_file, user, policy_file = sys.argv[1:5]
with open(key_file) as f:
    admin = json.load(f)
iam = boto3.client(
    "iam",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id=admin["AccessKeyId"],
    aws_secret_access_key=admin["SecretAccessKey"],
)
try:
    iam.create_user(UserName=user)
except iam.exceptions.EntityAlreadyExistsException:
    for key in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]:
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
with open(policy_file) as f:
    iam.put_user_policy(UserName=user, PolicyName="grants", PolicyDocument=f.read())
key = iam.create_access_key(UserName=user)["AccessKey"]
print(json.dumps({"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))
