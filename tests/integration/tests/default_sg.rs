//! The default-security-group restrictor, tap's second function of its own
//! (`tap-core/src/kinds/vpc_default_sg.py`), run as Lambda would run it on its Create,
//! Update and Delete events against the emulator's EC2; and the template that uses it.

use serde_json::{json, Value as Json};
use tap_integration_tests::{custom_resource_event, emulator_python, run_custom_resource};

/// Runs boto3 `code` against the emulator's EC2 (as `ec2`); returns what it prints.
fn ec2(code: &str) -> String {
    let out = emulator_python()
        .args(["-c", &format!("import boto3, json, sys\nec2 = boto3.client('ec2')\n{code}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// (ingress rules, egress rules) of a group.
fn rules(group: &str) -> (usize, usize) {
    let counts = ec2(&format!(
        "g = ec2.describe_security_groups(GroupIds=['{group}'])['SecurityGroups'][0]\nprint(len(g['IpPermissions']), len(g['IpPermissionsEgress']))"
    ));
    let (i, e) = counts.split_once(' ').unwrap();
    (i.parse().unwrap(), e.parse().unwrap())
}

fn event(request: &str, group: &str) -> Json {
    run_custom_resource(
        "vpc_default_sg.py",
        &custom_resource_event(
            request,
            "Custom::VpcRestrictDefaultSecurityGroup",
            group,
            json!({ "DefaultSecurityGroupId": group }),
        ),
    )
}

#[test]
fn create_takes_every_rule_off_the_default_group_and_update_and_delete_succeed() {
    // A new VPC's default group, with the rules EC2 gives it: all egress, and ingress from
    // its own members (the emulator adds only the first; the test adds the second).
    let group = ec2(
        "v = ec2.create_vpc(CidrBlock='10.42.0.0/16')['Vpc']['VpcId']\n\
         g = ec2.describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': [v]}, {'Name': 'group-name', 'Values': ['default']}])['SecurityGroups'][0]['GroupId']\n\
         ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[{'IpProtocol': '-1', 'UserIdGroupPairs': [{'GroupId': g}]}])\n\
         print(g)",
    );
    assert_eq!(rules(&group), (1, 1));
    let created = event("Create", &group);
    assert_eq!(
        (created["Status"].as_str(), created["PhysicalResourceId"].as_str()),
        (Some("SUCCESS"), Some(group.as_str())),
        "{created}"
    );
    assert_eq!(rules(&group), (0, 0), "rules left on the default group");
    assert_eq!(event("Update", &group)["Status"], "SUCCESS", "an update finds nothing left to revoke");
    assert_eq!(event("Delete", &group)["Status"], "SUCCESS");
}

#[test]
fn a_group_that_does_not_exist_is_a_failure_with_its_reason() {
    let response = event("Create", "sg-0000000000000000f");
    assert_eq!(response["Status"], "FAILED", "{response}");
    assert!(!response["Reason"].as_str().unwrap_or_default().is_empty(), "{response}");
}

#[test]
fn every_vpc_gets_flow_logs_a_restricted_default_group_and_narrow_egress() {
    let t: Json = serde_json::from_str(&tap_stack::product_catalog().synth().unwrap().to_json()).unwrap();
    let r = &t["Resources"];
    assert_eq!(
        r["VpcDefaultGroupRestricted"]["Properties"]["DefaultSecurityGroupId"],
        json!({ "Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"] })
    );
    let code = r["VpcDefaultGroupFunction"]["Properties"]["Code"]["ZipFile"].as_str().unwrap();
    assert!(code.len() <= 4096 && code.contains("def handler"), "{} bytes", code.len());
    assert_eq!(r["VpcFlowLog"]["Properties"]["TrafficType"], "ALL");
    assert_eq!(r["VpcFlowLog"]["Properties"]["LogGroupName"], json!({ "Ref": "VpcFlowLogGroup" }));
    // Egress: the processor's group reaches HTTPS and the two ports opened to it; the
    // database's, cache's and endpoints' groups reach nothing.
    let egress_of = |group: &str| -> Vec<String> {
        let mut out: Vec<String> = r[group]["Properties"]["SecurityGroupEgress"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{}/{}", e["IpProtocol"].as_str().unwrap(), e["FromPort"]))
            .collect();
        for (_, res) in r.as_object().unwrap() {
            if res["Type"] == "AWS::EC2::SecurityGroupEgress"
                && res["Properties"]["GroupId"] == json!({ "Fn::GetAtt": [group, "GroupId"] })
            {
                out.push(format!(
                    "tcp/{} to {}",
                    res["Properties"]["FromPort"],
                    res["Properties"]["DestinationSecurityGroupId"]["Fn::GetAtt"][0].as_str().unwrap()
                ));
            }
        }
        out.sort();
        out
    };
    assert_eq!(
        egress_of("ProcessorSg"),
        ["tcp/443", "tcp/443 to EndpointSg", "tcp/5432 to DbSecurityGroup", "tcp/6379 to CacheSecurityGroup"]
    );
    for quiet in ["DbSecurityGroup", "CacheSecurityGroup", "EndpointSg"] {
        assert_eq!(egress_of(quiet), ["icmp/252"], "{quiet} may send");
    }
}
