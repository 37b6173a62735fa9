//! `SecurityGroup`: a named group in a VPC. Its ingress is declared with `Ingress`, so a
//! rule can see which function may reach which port.

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
    ..Spec::new("SecurityGroup", "security group", "A security group; its ingress is declared with `Ingress`.", <SecurityGroup as super::view::Decode>::PROPS)
};

impl Hooks for SecurityGroup {

    fn synth(&self, cx: &mut SynthCx, i: usize) {
        let l = cx.lid(i).to_owned();
        let name = written(&self.name);
        // The VPC's id: its `Ref`, or the parameter/import of an existing one.
        let vpc = cx.attr_named(self.vpc.index, "id");
        cx.out.add(
            &l,
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupName": sub(name),
                "GroupDescription": self.description.value,
                "VpcId": vpc,
                "Tags": name_tag(name),
            }),
        );
    }
}
