//! IAM authentication tokens for RDS: the password a `DatabaseUser` with `rds_iam` logs in
//! with. A token is a SigV4 presigned `connect` request for one user at one endpoint,
//! signed for the service `rds-db` and valid 15 minutes, without its scheme:
//! `host:port/?Action=connect&DBUser=user&X-Amz-Algorithm=…&X-Amz-Signature=…`. RDS checks
//! the signature and that the signer holds `rds-db:connect` on
//! `arn:…:dbuser:<DbiResourceId>/<user>` (the grant `user.connect` writes).
//!
//! Minting is local (no AWS call), so a token is minted for every new connection and never
//! stored. The form is checked against botocore's `generate_db_auth_token` by a test.

use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings};
use aws_sigv4::sign::v4;

use super::DbError;

/// How long RDS accepts a token after it is signed (its maximum).
pub const VALIDITY: Duration = Duration::from_secs(900);

/// The token for `user` at `host:port` in `region`, signed with `credentials` at `time`.
pub fn auth_token(
    host: &str,
    port: u16,
    user: &str,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<String, DbError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| DbError::other("mint IAM token", format!("{what}: {e}"));
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(VALIDITY);
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("rds-db")
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| fail("signing parameters", &e))?;
    let user: String = form_urlencoded(user);
    let url = format!("https://{host}:{port}/?Action=connect&DBUser={user}");
    let request = SignableRequest::new("GET", &url, std::iter::empty(), SignableBody::Bytes(&[]))
        .map_err(|e| fail("request", &e))?;
    let (instructions, _signature) = sign(request, &params.into()).map_err(|e| fail("signing", &e))?.into_parts();
    let mut signed = http::Request::builder().uri(&url).body(()).map_err(|e| fail("request", &e))?;
    instructions.apply_to_request_http1x(&mut signed);
    let uri = signed.uri().to_string();
    let uri = uri.strip_prefix("https://").unwrap_or(&uri);
    // The signature last, as botocore and the AWS CLI print it (aws-sigv4 appends a role's
    // session token after it; RDS reads the parameters in any order).
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let (signature, rest): (Vec<&str>, Vec<&str>) = query.split('&').partition(|p| p.starts_with("X-Amz-Signature="));
    Ok(format!("{path}?{}", rest.into_iter().chain(signature).collect::<Vec<_>>().join("&")))
}

/// A user name as a query value (role names tap accepts need no escaping; this keeps any
/// other name correct).
fn form_urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Mints tokens with the function's credentials (the execution role's, refreshed by the
/// provider as they rotate) for the region it runs in.
#[derive(Clone, Debug)]
pub struct Signer {
    credentials: SharedCredentialsProvider,
    region: String,
}

impl Signer {
    /// From the SDK configuration a function loads at its cold start.
    pub fn from_sdk(sdk: &aws_config::SdkConfig) -> Result<Signer, DbError> {
        let credentials = sdk
            .credentials_provider()
            .ok_or_else(|| DbError::other("mint IAM token", "the AWS configuration has no credentials provider"))?;
        let region = sdk
            .region()
            .ok_or_else(|| DbError::other("mint IAM token", "the AWS configuration has no region (AWS_REGION)"))?;
        Ok(Signer { credentials, region: region.to_string() })
    }
    pub fn new(credentials: SharedCredentialsProvider, region: impl Into<String>) -> Signer {
        Signer { credentials, region: region.into() }
    }
    /// A token for `user` at `host:port`, valid from now.
    pub async fn token(&self, host: &str, port: u16, user: &str) -> Result<String, DbError> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| DbError::other("mint IAM token", format!("no credentials: {e}")))?;
        auth_token(host, port, user, &self.region, &credentials, SystemTime::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(session: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session.map(str::to_owned),
            None,
            "test",
        )
    }

    #[test]
    fn a_token_is_a_presigned_connect_request_without_its_scheme() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let token = auth_token(
            "db.example.eu-west-1.rds.amazonaws.com",
            5432,
            "inventory_processor",
            "eu-west-1",
            &creds(None),
            t,
        )
        .unwrap();
        assert!(
            token
                .starts_with("db.example.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=inventory_processor&"),
            "{token}"
        );
        for part in [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=AKIDEXAMPLE%2F20231114%2Feu-west-1%2Frds-db%2Faws4_request",
            "X-Amz-Date=20231114T221320Z",
            "X-Amz-Expires=900",
            "X-Amz-SignedHeaders=host",
            "X-Amz-Signature=",
        ] {
            assert!(token.contains(part), "{part} missing from {token}");
        }
        assert!(!token.contains("https://") && !token.contains("X-Amz-Security-Token"));
        // Deterministic for one instant; another instant signs differently.
        assert_eq!(
            token,
            auth_token(
                "db.example.eu-west-1.rds.amazonaws.com",
                5432,
                "inventory_processor",
                "eu-west-1",
                &creds(None),
                t
            )
            .unwrap()
        );
        assert_ne!(
            token,
            auth_token(
                "db.example.eu-west-1.rds.amazonaws.com",
                5432,
                "inventory_processor",
                "eu-west-1",
                &creds(None),
                t + Duration::from_secs(1)
            )
            .unwrap()
        );
    }

    #[test]
    fn a_role_session_token_travels_in_the_query() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let token = auth_token("h", 5432, "u", "us-east-1", &creds(Some("FwoG/session+token=")), t).unwrap();
        assert!(token.contains("X-Amz-Security-Token=FwoG%2Fsession%2Btoken%3D"), "{token}");
    }
}
