//! `Secret`: a Secrets Manager secret whose password is generated at deploy time, so no
//! credential is ever written in the stack or the template.

use serde_json::json;

use super::*;
use crate::synth::{r#ref, sub, Json};

pub const SPEC: Spec = Spec {
    word: "Secret",
    noun: "secret",
    props: &[
        opt("name", Ty::Name),
        req("username", Ty::Str),
        opt("password_length", Ty::Int { min: 16, max: 128 }),
        opt("exclude_punctuation", Ty::Bool),
        opt("removal", REMOVAL),
    ],
    attrs: &["arn"],
    access: &[Access { level: "read", actions: &["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] }],
    naming: Some(Naming { min: 1, max: 512, extra: "/_+=.@-", lowercase: false, letter_first: false }),
    service: Some(Service::SecretsManager),
    vpc_port: None,
    stateful: true,
};

pub fn synth(cx: &mut Cx, index: usize, r: &Resource) {
    let l = cx.lid(index).to_owned();
    let template = json!({ "username": r.str("username").unwrap_or_default() }).to_string();
    cx.add_stateful(
        &l,
        "AWS::SecretsManager::Secret",
        json!({
            "Name": sub(r.str("name").unwrap_or_default()),
            "Description": format!("Credentials for {}", r.label()),
            "GenerateSecretString": {
                "SecretStringTemplate": template,
                "GenerateStringKey": "password",
                "PasswordLength": r.int("password_length").unwrap_or(32),
                "ExcludePunctuation": r.bool("exclude_punctuation").unwrap_or(true),
            },
        }),
        r,
    );
}

pub fn attr(_cx: &Cx, lid: &str, _r: &Resource, _attr: &str) -> Json {
    r#ref(lid)
}
