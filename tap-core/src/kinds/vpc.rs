//! `Vpc`: a VPC over `max_azs` zones with a public and a private subnet in each, an
//! internet gateway, `nat_gateways` NAT gateways and one private route table per zone.

use serde_json::json;

use super::*;
use crate::synth::{get_att, name_tag, r#ref, Json};

pub const SPEC: Spec = Spec {
    word: "Vpc",
    noun: "VPC",
    props: &[
        opt("name", Ty::Name),
        opt("cidr", Ty::Str),
        req("max_azs", Ty::Int { min: 1, max: 3 }),
        req("nat_gateways", Ty::Int { min: 0, max: 3 }),
    ],
    attrs: &["id"],
    access: &[],
    naming: Some(Naming { min: 1, max: 255, extra: "-_. ", lowercase: false, letter_first: false }),
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let name = r.str("name").unwrap_or_default().to_owned();
    let azs = r.int("max_azs").unwrap_or(2);
    let nats = r.int("nat_gateways").unwrap_or(0).min(azs);
    let tag = |suffix: &str| name_tag(&format!("{name}-{suffix}"));
    cx.add(
        &l,
        "AWS::EC2::VPC",
        json!({
            "CidrBlock": r.str("cidr").unwrap_or("10.0.0.0/16"),
            "EnableDnsHostnames": true,
            "EnableDnsSupport": true,
            "Tags": name_tag(&name),
        }),
    );
    let igw = format!("{l}InternetGateway");
    let attach = format!("{l}GatewayAttachment");
    cx.add(&igw, "AWS::EC2::InternetGateway", json!({ "Tags": tag("igw") }));
    cx.add(&attach, "AWS::EC2::VPCGatewayAttachment", json!({ "VpcId": r#ref(&l), "InternetGatewayId": r#ref(&igw) }));

    // Subnets are carved from the VPC's block: /20s, publics first, so adding a zone
    // never renumbers an existing subnet.
    let cidrs = json!({ "Fn::Cidr": [get_att(&l, "CidrBlock"), 6, 12] });
    let public_rt = format!("{l}PublicRouteTable");
    cx.add(&public_rt, "AWS::EC2::RouteTable", json!({ "VpcId": r#ref(&l), "Tags": tag("public") }));
    let public_route = format!("{l}PublicDefaultRoute");
    cx.add(
        &public_route,
        "AWS::EC2::Route",
        json!({ "RouteTableId": r#ref(&public_rt), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": r#ref(&igw) }),
    );
    cx.depends_on(&public_route, &[&attach]);
    for az in 1..=azs {
        for (tier, offset) in [("Public", 0), ("Private", 3)] {
            let subnet = format!("{l}{tier}Subnet{az}");
            cx.add(
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
        cx.add(
            format!("{l}PublicSubnet{az}RouteTableAssociation"),
            "AWS::EC2::SubnetRouteTableAssociation",
            json!({ "SubnetId": r#ref(&format!("{l}PublicSubnet{az}")), "RouteTableId": r#ref(&public_rt) }),
        );
    }
    for n in 1..=nats {
        let eip = format!("{l}NatEip{n}");
        cx.add(&eip, "AWS::EC2::EIP", json!({ "Domain": "vpc", "Tags": tag(&format!("nat-{n}")) }));
        cx.depends_on(&eip, &[&attach]);
        cx.add(
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
        cx.add(&rt, "AWS::EC2::RouteTable", json!({ "VpcId": r#ref(&l), "Tags": tag(&format!("private-{az}")) }));
        if nats > 0 {
            // Zones without their own NAT gateway share one, round robin.
            let nat = (az - 1) % nats + 1;
            cx.add(
                format!("{l}PrivateDefaultRoute{az}"),
                "AWS::EC2::Route",
                json!({
                    "RouteTableId": r#ref(&rt),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": r#ref(&format!("{l}NatGateway{nat}")),
                }),
            );
        }
        cx.add(
            format!("{l}PrivateSubnet{az}RouteTableAssociation"),
            "AWS::EC2::SubnetRouteTableAssociation",
            json!({ "SubnetId": r#ref(&format!("{l}PrivateSubnet{az}")), "RouteTableId": r#ref(&rt) }),
        );
    }
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    r#ref(lid)
}
