//! `Secret<A>`: a Secrets Manager secret's value.

use aws_sdk_secretsmanager::operation as op;

super::handle! {
    /// A secret the function was granted, by its ARN.
    pub struct Secret(aws_sdk_secretsmanager);
    client = |sdk| aws_sdk_secretsmanager::Client::new(sdk);

    /// Reading the value.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: reading this secret needs its `read` grant, which the function does not have",
        label = "the function was granted `{Self}` on this secret",
        note = "fix: in the stack, grant the function `<secret>.read`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability ReadValue for [Read] {
        /// `GetSecretValue` of this secret.
        fn get_secret_value -> op::get_secret_value::builders::GetSecretValueFluentBuilder = ["secretsmanager:GetSecretValue"] |c, id| c.get_secret_value().secret_id(id);
    }
}
