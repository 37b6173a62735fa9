//! `Secret`: a Secrets Manager secret whose password is generated at deploy time, so no
//! credential is ever written in the stack or the template; or one whose value someone
//! else issues (a webhook provider's signing key), `provided` after deploy with the reason
//! and how. Either way the code reads it the same way, through the secret's `read` grant.

use super::prelude::*;

props! {
    pub struct Secret {
        name: opt Name,
        /// A generated credential: `{ "username": .., "password": <generated> }`.
        username: opt String,
        /// A value issued elsewhere and put in after deploy, with who issues it and how it
        /// is set: `provided: "the provider's signing key: aws secretsmanager put-secret-value"`.
        /// The template holds a placeholder until then, and never overwrites the value.
        provided: opt String,
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
    ..Spec::new("Secret", "secret", "A Secrets Manager secret: a password generated at deploy time, or a value provided after deploy.", <Secret as super::decode::Decode>::PROPS)
};

/// What a provided secret holds until someone sets it: not a credential, and recognisable
/// in the code that reads it ([`Secret::is_placeholder`]).
pub const PLACEHOLDER: &str = "tap:placeholder: this secret's value is provided after deploy";

impl Secret {
    /// Whether a value read from a provided secret is still the placeholder.
    pub fn is_placeholder(value: &str) -> bool {
        value == PLACEHOLDER
    }
}

impl Hooks for Secret {
    /// Exactly one of `username` (generated) and `provided` (set after deploy, with a reason).
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        match (&self.username, &self.provided) {
            (None, None) => out.push(Finding::dsl(
                Dsl::Missing,
                Loc::resource(i),
                format!("{label} says neither what it generates nor who provides its value"),
                "write `username: \"..\"` for a generated credential, or `provided: \"who issues it and how it is set\"`",
            )),
            (Some(_), Some(p)) => out.push(Finding::dsl(
                Dsl::WrongType,
                p.loc.clone(),
                format!("{label} is either generated (`username`) or provided after deploy, not both"),
                "keep one of `username` and `provided`",
            )),
            (None, Some(p)) if p.trim().is_empty() => out.push(Finding::dsl(
                Dsl::WrongType,
                p.loc.clone(),
                format!("{label} is provided after deploy, and does not say by whom or how"),
                "write who issues the value and how it is set, e.g. `provided: \"Stripe's signing key: aws secretsmanager put-secret-value\"`",
            )),
            _ => {}
        }
        if self.provided.is_some() {
            for (key, loc) in [("password_length", self.password_length.as_ref().map(|x| &x.loc)), ("exclude_punctuation", self.exclude_punctuation.as_ref().map(|x| &x.loc))] {
                if let Some(loc) = loc {
                    out.push(Finding::dsl(Dsl::UnknownProperty, loc.clone(), format!("{label}: `{key}` shapes a generated password, and this secret is provided"), format!("remove `{key}`")));
                }
            }
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let label = cx.stack.node(i).label.clone();
        if let Some(provided) = &self.provided {
            // The placeholder stays in the template: CloudFormation writes it at creation
            // only, so a value put in later survives every update that leaves it unchanged.
            cx.add_data(i, &l, "AWS::SecretsManager::Secret", json!({
                "Name": sub(written(&self.name)),
                "Description": format!("Provided after deploy: {}", provided.value),
                "SecretString": PLACEHOLDER,
            }));
            return;
        }
        let template = json!({ "username": self.username.as_deref().map(String::as_str).unwrap_or_default() }).to_string();
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
