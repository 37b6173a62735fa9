"""Runs a custom resource's inline Lambda handler once, as Lambda would, for the tests.

Usage: custom-resource.py HANDLER.py EVENT_JSON
The handler file is loaded as the `index` module; `cfnresponse` (which the Lambda Python
runtime provides for inline code) is replaced by a stand-in that records the response
instead of sending it to CloudFormation. Prints that response as JSON. boto3 reaches the
emulator through AWS_ENDPOINT_URL.
"""
import importlib.util
import json
import sys
import types

source, event = sys.argv[1], json.loads(sys.argv[2])
sent = []
cfnresponse = types.ModuleType("cfnresponse")
cfnresponse.SUCCESS, cfnresponse.FAILED = "SUCCESS", "FAILED"


def send(event, context, status, data, physicalResourceId=None, noEcho=False, reason=None):
    sent.append({"Status": status, "Data": data, "PhysicalResourceId": physicalResourceId, "Reason": reason})


cfnresponse.send = send
sys.modules["cfnresponse"] = cfnresponse
spec = importlib.util.spec_from_file_location("index", source)
index = importlib.util.module_from_spec(spec)
spec.loader.exec_module(index)


class Context:
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:emptier"
    log_stream_name = "local"


index.handler(event, Context())
if len(sent) != 1:
    sys.exit(f"the handler sent {len(sent)} responses, not one")
print(json.dumps(sent[0]))
