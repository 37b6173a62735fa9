//! `Ingress`: one TCP port opened on a group, from another group (or a CIDR, which the
//! network rule restricts).

use serde_json::json;

use super::*;
use crate::synth::{get_att, Json};

pub const SPEC: Spec = Spec {
    word: "Ingress",
    noun: "ingress rule",
    props: &[
        req("to", Ty::Ref(&[Kind::SecurityGroup])),
        opt("from", Ty::Ref(&[Kind::SecurityGroup])),
        opt("cidr", Ty::Str),
        req("port", Ty::Int { min: 1, max: 65535 }),
    ],
    attrs: &[],
    access: &[],
    naming: None,
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let to = cx.target_lid(r, "to");
    let port = r.int("port").unwrap_or(0);
    let mut props = json!({
        "GroupId": get_att(&to, "GroupId"),
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
    });
    if r.get("from").is_some() {
        let from = cx.target_lid(r, "from");
        props["SourceSecurityGroupId"] = get_att(&from, "GroupId");
        props["Description"] = json!(format!("tcp/{port} from {}", r.target("from").unwrap_or_default()));
    } else if let Some(cidr) = r.str("cidr") {
        props["CidrIp"] = json!(cidr);
        props["Description"] = json!(format!("tcp/{port} from {cidr}"));
    }
    cx.add(&l, "AWS::EC2::SecurityGroupIngress", props);
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    crate::synth::r#ref(lid)
}
