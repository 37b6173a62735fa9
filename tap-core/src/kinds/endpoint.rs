//! `Endpoint`: a private route from a VPC to an AWS API: a gateway endpoint (S3,
//! DynamoDB) on the private route tables, an interface endpoint (ENIs in the private
//! subnets, behind a security group) for the rest.

use super::prelude::*;
use super::security_group::SecurityGroup;
use super::vpc::Vpc;

props! {
    pub struct Endpoint {
        vpc: req Ref<Vpc>,
        service: req Service,
        security_group: opt Ref<SecurityGroup>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("id", AttrExpr::Ref)],
    cfn_type: Some("AWS::EC2::VPCEndpoint"),
    ..Spec::new("Endpoint", "endpoint", "A gateway or interface VPC endpoint for an AWS API.", <Endpoint as super::decode::Decode>::PROPS)
};

impl Hooks for Endpoint {
    fn base_id(&self, stack: &Checked) -> Option<String> {
        Some(format!("{}{}Endpoint", pascal(stack.binding(self.vpc.index)), self.service.0.word))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let vpc_lid = cx.lid_of(&self.vpc);
        let vpc = cx.stack.get(&self.vpc);
        let service = self.service.0;
        let name = json!({ "Fn::Sub": format!("com.amazonaws.${{AWS::Region}}.{}", service.endpoint) });
        let props = if service.gateway {
            json!({
                "VpcId": r#ref(&vpc_lid),
                "ServiceName": name,
                "VpcEndpointType": "Gateway",
                "RouteTableIds": vpc.private_route_tables(&vpc_lid),
            })
        } else {
            let groups: Vec<Json> = self.security_group.iter().map(|g| get_att(&cx.lid_of(g), "GroupId")).collect();
            json!({
                "VpcId": r#ref(&vpc_lid),
                "ServiceName": name,
                "VpcEndpointType": "Interface",
                "PrivateDnsEnabled": true,
                "SubnetIds": vpc.subnets(&vpc_lid, Subnets::Private),
                "SecurityGroupIds": groups,
            })
        };
        cx.out.add(&l, "AWS::EC2::VPCEndpoint", props);
    }
}
