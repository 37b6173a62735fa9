# Takes every rule off a VPC's default security group: the custom resource tap adds beside
# each VPC it creates. EC2 gives that group an allow-all egress rule and a rule admitting
# its own members, and CloudFormation cannot remove them; anything launched without a
# group of its own would land in it. tap-core embeds this file as the function's inline
# code; tests/integration/tests/default_sg.rs runs it against the emulator's EC2.
#
# - Create and Update revoke whatever rules the group has (an Update finds none left).
# - Delete does nothing: the group goes with its VPC.
# - The physical id is the group's id.
import json

import boto3
import cfnresponse


def handler(event, context):
    group = event["ResourceProperties"]["DefaultSecurityGroupId"]
    try:
        if event["RequestType"] in ("Create", "Update"):
            restrict(boto3.client("ec2"), group)
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physicalResourceId=group)
    except Exception as error:  # report every failure to CloudFormation, never hang it
        print(json.dumps({"event": "restricting failed", "group": group, "error": repr(error)}))
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physicalResourceId=group, reason=str(error))


def restrict(ec2, group):
    found = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
    ingress, egress = found.get("IpPermissions", []), found.get("IpPermissionsEgress", [])
    if ingress:
        ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=ingress)
    if egress:
        ec2.revoke_security_group_egress(GroupId=group, IpPermissions=egress)
    print(json.dumps({"event": "restricted", "group": group, "ingress": len(ingress), "egress": len(egress)}))
