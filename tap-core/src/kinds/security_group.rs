//! `SecurityGroup`: a named group in a VPC. Its ingress is declared with `Ingress`, so a
//! rule can see which function may reach which port.

use serde_json::json;

use super::*;
use crate::synth::{get_att, name_tag, r#ref, sub, Json};

pub const SPEC: Spec = Spec {
    word: "SecurityGroup",
    noun: "security group",
    props: &[opt("name", Ty::Name), req("vpc", Ty::Ref(&[Kind::Vpc])), req("description", Ty::Str)],
    attrs: &["id"],
    access: &[],
    naming: Some(Naming { min: 1, max: 255, extra: "-_.:/()#,@[]+=&;{}!$* ", lowercase: false, letter_first: false }),
    service: None,
    vpc_port: None,
    stateful: false,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let name = r.str("name").unwrap_or_default();
    let vpc = cx.target_lid(r, "vpc");
    cx.add(
        &l,
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupName": sub(name),
            "GroupDescription": r.str("description").unwrap_or_default(),
            "VpcId": r#ref(&vpc),
            "Tags": name_tag(name),
        }),
    );
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    get_att(lid, "GroupId")
}
