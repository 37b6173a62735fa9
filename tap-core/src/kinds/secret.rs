//! `Secret`: a Secrets Manager secret whose password is generated at deploy time, so no
//! credential is ever written in the stack or the template.

use super::prelude::*;

props! {
    pub struct Secret {
        name: opt Name,
        username: req String,
        /// Default 32.
        password_length: opt Int<16, 128>,
        /// Default `true`.
        exclude_punctuation: opt bool,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason
        /// (the delete plan shows it): `disposable: "rebuilt from the database"`.
        disposable: opt String,
    }
}

/// Secrets Manager, which a function calls to read a secret (and a database's master secret).
pub const SERVICE: ServiceDef = ServiceDef { word: "SecretsManager", endpoint: "secretsmanager", gateway: false };

pub const SPEC: Spec = Spec {
    attrs: &[attr("arn", AttrExpr::Ref)],
    levels: &[LevelDef {
        name: "read",
        actions: &["secretsmanager:GetSecretValue"],
        arns: ArnShape::Arn,
        satisfies_env: true,
    }],
    arn: Some(AttrExpr::Ref),
    naming: Some(Naming { min: 1, max: 512, extra: "/_+=.@-", lowercase: false, letter_first: false }),
    service: Some(&SERVICE),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    handle: Some(HandleDef { ty: "Secret", attr: "arn" }),
    cfn_type: Some("AWS::SecretsManager::Secret"),
    existing: Some(&ExistingDef {
        id: "arn",
        param_type: "String",
        // The whole ARN, random suffix included: IAM matches it exactly.
        pattern: Some("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$"),
        derive: &[],
        subnets: false,
        referable_by: &[],
    }),
    ..Spec::new("Secret", "secret", "A Secrets Manager secret with a password generated at deploy time.", <Secret as super::decode::Decode>::PROPS)
};

impl Hooks for Secret {

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let template = json!({ "username": self.username.value }).to_string();
        let label = cx.stack.node(i).label.clone();
        cx.add_data(i, &l, "AWS::SecretsManager::Secret", json!({
                "Name": sub(written(&self.name)),
                "Description": format!("Credentials for {label}"),
                "GenerateSecretString": {
                    "SecretStringTemplate": template,
                    "GenerateStringKey": "password",
                    "PasswordLength": self.password_length.as_deref().map_or(32, |n| n.get()),
                    "ExcludePunctuation": self.exclude_punctuation.as_deref().copied().unwrap_or(true),
                },
            }));
    }
}
