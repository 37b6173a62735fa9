//! `Ingress`: one TCP port opened on a group, from another group (or a CIDR, which the
//! network rule restricts).

use super::prelude::*;
use super::security_group::SecurityGroup;

props! {
    pub struct Ingress {
        to: req Ref<SecurityGroup>,
        from: opt Ref<SecurityGroup>,
        cidr: opt String,
        port: req Int<1, 65535>,
    }
}

pub const SPEC: Spec = Spec {
    cfn_type: Some("AWS::EC2::SecurityGroupIngress"),
    ..Spec::new("Ingress", "ingress rule", "One TCP port opened on a security group, from another group.", <Ingress as super::decode::Decode>::PROPS)
};

impl Ingress {
    /// Admits group `from` into group `to` on `port`.
    pub fn admits(&self, to: usize, from: usize, port: i64) -> bool {
        self.to.index == to && self.from.as_ref().is_some_and(|f| f.index == from) && self.port.get() == port
    }
}

impl Hooks for Ingress {
    fn validate(&self, i: usize, _stack: &Checked, out: &mut Vec<Finding>) {
        match (&self.from, &self.cidr) {
            (None, None) => out.push(Finding::dsl(
                Dsl::Missing,
                Loc::resource(i),
                "an ingress rule needs a source",
                "add `from: <security group>` (or, rarely, `cidr: \"10.0.0.0/16\"`)",
            )),
            (Some(_), Some(cidr)) => out.push(Finding::dsl(
                Dsl::WrongType,
                cidr.loc.clone(),
                "an ingress rule has one source, `from` or `cidr`, not both",
                "declare a second `Ingress` for the second source",
            )),
            _ => {}
        }
    }

    fn base_id(&self, stack: &Checked) -> Option<String> {
        let source = match (&self.from, &self.cidr) {
            (Some(from), _) => pascal(&from.name),
            (None, Some(cidr)) => pascal(&cidr.replace("0.0.0.0/0", "anywhere")),
            (None, None) => String::new(),
        };
        Some(format!("{}IngressFrom{}Port{}", pascal(stack.binding(self.to.index)), source, self.port.get()))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let to = cx.lid_of(&self.to);
        let port = self.port.get();
        let mut props = json!({
            "GroupId": get_att(&to, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
        });
        if let Some(cidr) = &self.cidr {
            props["CidrIp"] = json!(cidr.value);
            props["Description"] = json!(format!("tcp/{port} from {}", cidr.value));
        }
        let mut egress = None;
        if let Some(from) = &self.from {
            let source = cx.lid_of(from);
            props["SourceSecurityGroupId"] = get_att(&source, "GroupId");
            props["Description"] = json!(format!("tcp/{port} from {}", from.name));
            // The other half: the source group may send to this port of this group, and
            // nowhere else it was not given (see security_group.rs).
            egress = Some(json!({
                "GroupId": get_att(&source, "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "DestinationSecurityGroupId": get_att(&to, "GroupId"),
                "Description": format!("tcp/{port} to {}", self.to.name),
            }));
        }
        cx.out.add(&l, "AWS::EC2::SecurityGroupIngress", props);
        if let Some(egress) = egress {
            cx.out.add(format!("{l}Egress"), "AWS::EC2::SecurityGroupEgress", egress);
        }
    }
}
