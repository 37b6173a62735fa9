//! `Vpc`: a VPC over `max_azs` zones with a public and a private subnet in each, an
//! internet gateway, `nat_gateways` NAT gateways and one private route table per zone, and
//! flow logs (every accepted and rejected flow) to a log group the stack owns; its default
//! security group is left with no rules (`vpc_default_sg.py`).

use super::prelude::*;

props! {
    pub struct Vpc {
        name: opt Name,
        cidr: opt String,
        max_azs: req Int<1, 3>,
        nat_gateways: req Int<0, 3>,
    }
}

pub const SPEC: Spec = Spec {
    // `private_subnets`: the private subnets' ids, comma-separated (what another stack of the
    // app imports to place its functions in this VPC).
    attrs: &[attr("id", AttrExpr::Ref), attr("private_subnets", AttrExpr::Own)],
    naming: Some(Naming { min: 1, max: 255, extra: "-_. ", lowercase: false, letter_first: false }),
    cfn_type: Some("AWS::EC2::VPC"),
    // CloudFormation checks an `AWS::EC2::VPC::Id` parameter against the account. Functions
    // and security groups may be placed in it; endpoints, databases and caches need the
    // route tables and subnet tiers of a VPC the stack owns.
    existing: Some(&ExistingDef {
        id: "id",
        param_type: "AWS::EC2::VPC::Id",
        pattern: None,
        derive: &[("private_subnets", "{subnets}")],
        subnets: true,
        referable_by: &[Kind::Function, Kind::SecurityGroup],
    }),
    ..Spec::new("Vpc", "VPC", "A VPC with public and private subnets per zone, NAT and route tables.", <Vpc as super::decode::Decode>::PROPS)
};

impl Vpc {
    /// The subnets of one tier, as `Ref`s.
    pub fn subnets(&self, vpc_lid: &str, tier: Subnets) -> Json {
        let tier = tier.word();
        Json::Array((1..=self.max_azs.get()).map(|az| r#ref(&format!("{vpc_lid}{tier}Subnet{az}"))).collect())
    }
    /// The private route tables (one per zone), as `Ref`s.
    pub fn private_route_tables(&self, vpc_lid: &str) -> Json {
        Json::Array((1..=self.max_azs.get()).map(|az| r#ref(&format!("{vpc_lid}PrivateRouteTable{az}"))).collect())
    }
}

impl Hooks for Vpc {
    fn own_attr(&self, _cx: &SynthCx<'_>, _attr: &AttrDef, lid: &str) -> Json {
        json!({ "Fn::Join": [",", self.subnets(lid, Subnets::Private)] })
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let stack = cx.stack.name.clone();
        let out = &mut cx.out;
        let name = self.name.as_ref().map(|n| n.0.clone()).unwrap_or_default();
        let azs = self.max_azs.get();
        let nats = self.nat_gateways.get().min(azs);
        let tag = |suffix: &str| name_tag(&format!("{name}-{suffix}"));
        out.add(
            &l,
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": self.cidr.as_deref().map(String::as_str).unwrap_or("10.0.0.0/16"),
                "EnableDnsHostnames": true,
                "EnableDnsSupport": true,
                "Tags": name_tag(&name),
            }),
        );
        flow_logs(out, &l, &stack);
        restrict_default_group(out, &l, &stack);
        let igw = format!("{l}InternetGateway");
        let attach = format!("{l}GatewayAttachment");
        out.add(&igw, "AWS::EC2::InternetGateway", json!({ "Tags": tag("igw") }));
        out.add(&attach, "AWS::EC2::VPCGatewayAttachment", json!({ "VpcId": r#ref(&l), "InternetGatewayId": r#ref(&igw) }));

        // Subnets are carved from the VPC's block: /20s, publics first, so adding a zone
        // never renumbers an existing subnet.
        let cidrs = json!({ "Fn::Cidr": [get_att(&l, "CidrBlock"), 6, 12] });
        let public_rt = format!("{l}PublicRouteTable");
        out.add(&public_rt, "AWS::EC2::RouteTable", json!({ "VpcId": r#ref(&l), "Tags": tag("public") }));
        let public_route = format!("{l}PublicDefaultRoute");
        out.add(
            &public_route,
            "AWS::EC2::Route",
            json!({ "RouteTableId": r#ref(&public_rt), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": r#ref(&igw) }),
        );
        out.depends_on(&public_route, &[&attach]);
        for az in 1..=azs {
            for (tier, offset) in [("Public", 0), ("Private", 3)] {
                let subnet = format!("{l}{tier}Subnet{az}");
                out.add(
                    &subnet,
                    "AWS::EC2::Subnet",
                    json!({
                        "VpcId": r#ref(&l),
                        "AvailabilityZone": { "Fn::Select": [az - 1, { "Fn::GetAZs": "" }] },
                        "CidrBlock": { "Fn::Select": [az - 1 + offset, cidrs] },
                        "MapPublicIpOnLaunch": false,
                        "Tags": tag(&format!("{}-{az}", tier.to_lowercase())),
                    }),
                );
            }
            out.add(
                format!("{l}PublicSubnet{az}RouteTableAssociation"),
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({ "SubnetId": r#ref(&format!("{l}PublicSubnet{az}")), "RouteTableId": r#ref(&public_rt) }),
            );
        }
        for n in 1..=nats {
            let eip = format!("{l}NatEip{n}");
            out.add(&eip, "AWS::EC2::EIP", json!({ "Domain": "vpc", "Tags": tag(&format!("nat-{n}")) }));
            out.depends_on(&eip, &[&attach]);
            out.add(
                format!("{l}NatGateway{n}"),
                "AWS::EC2::NatGateway",
                json!({
                    "AllocationId": get_att(&eip, "AllocationId"),
                    "SubnetId": r#ref(&format!("{l}PublicSubnet{n}")),
                    "Tags": tag(&format!("nat-{n}")),
                }),
            );
        }
        for az in 1..=azs {
            let rt = format!("{l}PrivateRouteTable{az}");
            out.add(&rt, "AWS::EC2::RouteTable", json!({ "VpcId": r#ref(&l), "Tags": tag(&format!("private-{az}")) }));
            if nats > 0 {
                // Zones without their own NAT gateway share one, round robin.
                let nat = (az - 1) % nats + 1;
                out.add(
                    format!("{l}PrivateDefaultRoute{az}"),
                    "AWS::EC2::Route",
                    json!({
                        "RouteTableId": r#ref(&rt),
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "NatGatewayId": r#ref(&format!("{l}NatGateway{nat}")),
                    }),
                );
            }
            out.add(
                format!("{l}PrivateSubnet{az}RouteTableAssociation"),
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({ "SubnetId": r#ref(&format!("{l}PrivateSubnet{az}")), "RouteTableId": r#ref(&rt) }),
            );
        }
    }
}

/// Flow logs of the whole VPC to a log group of the stack's (30 days, deleted with the
/// stack, named from the stack and the environment), delivered through a role that may
/// write to that group only and that only this account's flow logs may assume.
fn flow_logs(out: &mut crate::cfn::Out, l: &str, stack: &str) {
    let group = format!("{l}FlowLogGroup");
    let role = format!("{l}FlowLogRole");
    out.add_with_policy(
        &group,
        "AWS::Logs::LogGroup",
        json!({ "LogGroupName": stack_log_group_name(stack, &format!("{l}-flow-logs")), "RetentionInDays": 30 }),
        crate::cfn::DeletionPolicy::Delete,
    );
    out.add(
        &role,
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": service_trust("vpc-flow-logs.amazonaws.com", true),
            "Policies": role_policies(vec![("flow-logs", vec![json!({
                "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": get_att(&group, "Arn") })])]),
        }),
    );
    out.add(
        format!("{l}FlowLog"),
        "AWS::EC2::FlowLog",
        json!({
            "ResourceId": r#ref(l),
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": r#ref(&group),
            "DeliverLogsPermissionArn": get_att(&role, "Arn"),
            "MaxAggregationInterval": 600,
        }),
    );
}

/// The custom resource that takes every rule off the VPC's default security group.
fn restrict_default_group(out: &mut crate::cfn::Out, l: &str, stack: &str) {
    let function = super::tap_functions::add(
        out,
        stack,
        &format!("{l}DefaultGroup"),
        "restrict-default-sg",
        json!({ "Fn::Sub": format!("Removes every rule of the default security group of ${{{l}}}") }),
        include_str!("vpc_default_sg.py"),
        vec![
            // Describe actions take no resource; the revokes only this VPC's default group.
            json!({ "Sid": "Describe", "Effect": "Allow", "Action": "ec2:DescribeSecurityGroups", "Resource": "*" }),
            json!({ "Sid": "Revoke", "Effect": "Allow", "Action": ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
                    "Resource": { "Fn::Sub": format!("arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:security-group/${{{l}.DefaultSecurityGroup}}") } }),
        ],
    );
    out.add(
        format!("{l}DefaultGroupRestricted"),
        "Custom::VpcRestrictDefaultSecurityGroup",
        json!({ "ServiceToken": get_att(&function, "Arn"), "DefaultSecurityGroupId": get_att(l, "DefaultSecurityGroup") }),
    );
}
