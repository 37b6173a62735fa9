//! `SecurityGroup`: a named group in a VPC. Its ingress is declared with `Ingress`, so a
//! rule can see which function may reach which port; its egress follows from the same
//! declarations: a group reaches the ports its `Ingress` rules open to it, a function's
//! group also HTTPS (the AWS APIs, through endpoints or NAT), and any other group nothing.

use super::prelude::*;
use super::vpc::Vpc;

props! {
    pub struct SecurityGroup {
        name: opt Name,
        vpc: req Ref<Vpc>,
        description: req String,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("id", AttrExpr::GetAtt("GroupId"))],
    naming: Some(Naming { min: 1, max: 255, extra: "-_.:/()#,@[]+=&;{}!$* ", lowercase: false, letter_first: false }),
    cfn_type: Some("AWS::EC2::SecurityGroup"),
    ..Spec::new("SecurityGroup", "security group", "A security group; its ingress is declared with `Ingress`.", <SecurityGroup as super::decode::Decode>::PROPS)
};

impl Hooks for SecurityGroup {

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let name = written(&self.name);
        // The VPC's id: its `Ref`, or the parameter/import of an existing one.
        let vpc = cx.attr_named(self.vpc.index, "id");
        // Writing `SecurityGroupEgress` replaces EC2's default allow-all rule. The rules to
        // other groups are `Ingress`'s (see ingress.rs), written as separate resources so two
        // groups that reach each other do not form a cycle.
        let of_function = cx.stack.of::<super::function::Function>().any(|(_, f)| f.security_group.as_ref().is_some_and(|g| g.index == i));
        let egress = if of_function {
            json!([{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                     "Description": "HTTPS to the AWS APIs, through VPC endpoints or NAT" }])
        } else {
            // A rule that matches no packet: EC2 has no empty egress list.
            json!([{ "IpProtocol": "icmp", "FromPort": 252, "ToPort": 86, "CidrIp": "255.255.255.255/32",
                     "Description": "No egress: this group only answers connections" }])
        };
        cx.out.add(
            &l,
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupName": sub(name),
                "GroupDescription": self.description.value,
                "VpcId": vpc,
                "SecurityGroupEgress": egress,
                "Tags": name_tag(name),
            }),
        );
    }
}
