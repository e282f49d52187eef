//! Which certificate authorities a TLS connection to the SMTP server trusts: the public ones
//! (Mozilla's list from `webpki-roots`, as lettre uses), and for a newsroom whose relay has a
//! certificate from a private CA, that CA too, from a PEM file (`DATELINE_SMTP_CA_FILE`,
//! `--smtp-ca-file`). Both ways mail leaves trust the same authorities: lettre's pool for
//! transactional mail ([`Trust::lettre_parameters`]) and the newsletter lanes' own connections
//! ([`Trust::connector`]). The extra CA adds to the public roots; it replaces none.

use std::path::Path;
use std::sync::Arc;

use lettre::transport::smtp::client::{Certificate, TlsParameters};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_rustls::TlsConnector;

use crate::transport::SendError;

/// The authorities a TLS connection trusts. Cheap to clone.
#[derive(Clone, Default)]
pub struct Trust {
    extra: Option<Arc<ExtraCa>>,
}

/// A private CA, kept both as read (lettre parses its own copy) and parsed.
struct ExtraCa {
    pem: Vec<u8>,
    certs: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// The public roots and every certificate in the PEM file at `path`. A file that cannot
    /// be read or holds no certificate is an error now, not a TLS failure at the first send.
    pub fn with_ca_file(path: &Path) -> Result<Trust, SendError> {
        let invalid = |why: &dyn std::fmt::Display| {
            SendError::Invalid(format!("SMTP CA file {}: {why}", path.display()))
        };
        let pem = std::fs::read(path).map_err(|e| invalid(&e))?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(&e))?;
        if certs.is_empty() {
            return Err(invalid(
                &"no certificate (a PEM `BEGIN CERTIFICATE` block) in it",
            ));
        }
        let trust = Trust {
            extra: Some(Arc::new(ExtraCa { pem, certs })),
        };
        // Fails on a certificate rustls cannot use as a root.
        trust.connector()?;
        Ok(trust)
    }

    /// The TLS client for the lanes' own connections (rustls on ring, like lettre's).
    pub(crate) fn connector(&self) -> Result<TlsConnector, SendError> {
        let tls = |e: &dyn std::fmt::Display| SendError::Invalid(format!("TLS: {e}"));
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in self.extra.iter().flat_map(|ca| &ca.certs) {
            roots.add(cert.clone()).map_err(|e| tls(&e))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls(&e))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(TlsConnector::from(Arc::new(config)))
    }

    /// The same trust for lettre's transport to `host`.
    pub(crate) fn lettre_parameters(&self, host: &str) -> Result<TlsParameters, SendError> {
        let tls = |e: lettre::transport::smtp::Error| SendError::Invalid(format!("TLS: {e}"));
        let mut builder = TlsParameters::builder(host.to_owned());
        if let Some(ca) = &self.extra {
            builder = builder.add_root_certificate(Certificate::from_pem(&ca.pem).map_err(tls)?);
        }
        builder.build_rustls().map_err(tls)
    }
}
