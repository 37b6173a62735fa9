"""The moto server as an IAM-enforcing AWS endpoint, for the test that runs each function
under exactly the policy tap synthesised for it.

    .venv/bin/python scripts/moto-iam.py PORT ADMIN_KEY_FILE

Every request is checked against the caller's IAM policies from the first one on
(INITIAL_NO_AUTH_ACTION_COUNT=0). Before serving, it creates an admin user directly in the
emulator's IAM backend and writes its access key to ADMIN_KEY_FILE as JSON, so no request
has to be spent on setup.

Three gaps of moto 5.2's IAM checks are closed here, each so the check judges what AWS
judges (without them, a statement scoped to one stream or secret would be denied, and a
batch call would need an action AWS does not have):
- Kinesis requests are checked against the stream's ARN (moto checks them against "*"),
  from StreamARN, StreamName or the stream named inside a shard iterator;
- Secrets Manager requests against the secret's ARN (from SecretId, a name or an ARN);
- SQS batch calls against the action AWS authorizes them by (DeleteMessageBatch needs
  sqs:DeleteMessage, SendMessageBatch sqs:SendMessage).
"""

import json
import os
import sys

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.iam import access_control  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.kinesis.responses import KinesisResponse  # noqa: E402
from moto.kinesis.utils import decompose_shard_iterator  # noqa: E402
from moto.secretsmanager.responses import SecretsManagerResponse  # noqa: E402
from moto.server import main  # noqa: E402

BATCH_ACTIONS = {
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
}


def kinesis_resource(self):
    arn = self._get_param("StreamARN")
    if arn:
        return arn
    name = self._get_param("StreamName")
    if not name and self._get_param("ShardIterator"):
        try:
            name = decompose_shard_iterator(self._get_param("ShardIterator"))[0]
        except Exception:
            name = None
    if not name:
        return "*"
    return f"arn:aws:kinesis:{self.region}:{self.current_account}:stream/{name}"


def secret_resource(self):
    secret_id = self._get_param("SecretId")
    if not secret_id:
        return "*"
    if secret_id.startswith("arn:"):
        return secret_id
    try:
        return self.backend.describe_secret(secret_id)["ARN"]
    except Exception:
        return "*"


KinesisResponse._determine_resource = kinesis_resource
SecretsManagerResponse._determine_resource = secret_resource

original_init = access_control.IAMRequestBase.__init__


def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    self._action = BATCH_ACTIONS.get(self._action, self._action)


access_control.IAMRequestBase.__init__ = init


def admin(path):
    backend = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    backend.create_user(region_name="us-east-1", user_name="tap-admin")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    backend.put_user_policy("tap-admin", "admin", json.dumps(policy))
    key = backend.create_access_key("tap-admin")
    with open(path, "w") as f:
        json.dump({"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key}, f)


if __name__ == "__main__":
    port, key_file = sys.argv[1], sys.argv[2]
    admin(key_file)
    main(["-H", "127.0.0.1", "-p", port])
