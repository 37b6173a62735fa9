//! TLS for the database connection (off loopback): the server's certificate is verified,
//! chain and host name, against the Amazon RDS certificate authorities, which are not in
//! the public root store. The bundle ships inside every function that uses a database
//! (`tap-core/data/rds-ca-bundle.pem`, written by `scripts/gen-rds-ca` from a pinned npm
//! package; its SHA-256 is checked by the tests below), so verifying needs no network call
//! at cold start.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

/// The Amazon RDS certificate authorities, as shipped.
pub const RDS_CA_BUNDLE: &[u8] = include_bytes!("../../data/rds-ca-bundle.pem");

/// The trust roots for RDS: every certificate of the bundle. An unparsable bundle is a
/// build defect the tests catch, not a run-time condition, so it panics with the reason.
pub fn rds_roots() -> RootCertStore {
    roots_from_pem(RDS_CA_BUNDLE).expect("the embedded RDS CA bundle parses (see the tls tests)")
}

/// A root store from PEM certificates; an error names what could not be read.
pub fn roots_from_pem(pem: &[u8]) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| format!("a certificate does not parse: {e}"))?;
        roots.add(cert).map_err(|e| format!("a certificate is not a usable root: {e}"))?;
    }
    if roots.is_empty() {
        return Err("no certificate found".into());
    }
    Ok(roots)
}

/// A client configuration that verifies the server against `roots` (chain, validity and
/// host name, through rustls's WebPKI verifier).
pub fn client_config(roots: RootCertStore) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("aws-lc-rs supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundle is the one `scripts/gen-rds-ca` wrote: a changed file without a changed
    /// pin (or the reverse) fails here.
    #[test]
    fn the_shipped_bundle_is_the_pinned_one() {
        use sha2::Digest;
        let pinned = include_str!("../../data/rds-ca-bundle.pem.sha256").trim();
        let actual: String = sha2::Sha256::digest(RDS_CA_BUNDLE).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(actual, pinned, "data/rds-ca-bundle.pem changed: regenerate it with scripts/gen-rds-ca");
    }

    #[test]
    fn every_certificate_of_the_bundle_is_a_root() {
        let count = RDS_CA_BUNDLE.windows(27).filter(|w| w == b"-----BEGIN CERTIFICATE-----").count();
        assert_eq!(rds_roots().len(), count);
        assert!(count >= 100, "the RDS bundle has {count} certificates");
    }

    #[test]
    fn a_bundle_that_does_not_parse_is_an_error_not_a_panic() {
        assert!(roots_from_pem(b"").unwrap_err().contains("no certificate"));
        assert!(roots_from_pem(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").is_err());
    }
}
