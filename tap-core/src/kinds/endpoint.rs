//! `Endpoint`: a private route from a VPC to an AWS API: a gateway endpoint for S3, an
//! interface endpoint (ENIs in the private subnets, behind a security group) for the rest.

use serde_json::json;

use super::*;
use crate::synth::{private_route_tables, r#ref, subnets, Json};

pub const SPEC: Spec = Spec {
    word: "Endpoint",
    noun: "endpoint",
    props: &[req("vpc", Ty::Ref(&[Kind::Vpc])), req("service", Ty::Word(Service::WORDS)), opt("security_group", Ty::Ref(&[Kind::SecurityGroup]))],
    attrs: &["id"],
    access: &[],
    naming: None,
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let (vi, vpc) = cx.target(r, "vpc");
    let vpc_lid = cx.lid(vi).to_owned();
    let service = Service::from_word(r.word("service").unwrap_or("S3")).unwrap_or(Service::S3);
    let name = json!({ "Fn::Sub": format!("com.amazonaws.${{AWS::Region}}.{}", service.endpoint_name()) });
    let props = if service.is_gateway() {
        json!({
            "VpcId": r#ref(&vpc_lid),
            "ServiceName": name,
            "VpcEndpointType": "Gateway",
            "RouteTableIds": private_route_tables(&vpc_lid, vpc),
        })
    } else {
        let sg = cx.target_lid(r, "security_group");
        json!({
            "VpcId": r#ref(&vpc_lid),
            "ServiceName": name,
            "VpcEndpointType": "Interface",
            "PrivateDnsEnabled": true,
            "SubnetIds": subnets(&vpc_lid, vpc, "Private"),
            "SecurityGroupIds": [crate::synth::get_att(&sg, "GroupId")],
        })
    };
    cx.add(&l, "AWS::EC2::VPCEndpoint", props);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    r#ref(lid)
}
