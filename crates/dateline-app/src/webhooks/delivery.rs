//! The worker that sends queued webhook deliveries.
//!
//! Each pass claims a batch of due deliveries with a lease (a random claim id and an expiry
//! long enough for the whole batch), POSTs each one, and records the attempt in its own
//! transaction, conditional on still holding the lease: `delivered` on a 2xx answer, otherwise
//! back in the queue after `retry_base · 2^(attempts − 1)`, or `failed` after `max_attempts`.
//! A `410 Gone` deletes the webhook, with its queue and log, as Ghost does.
//! Nodes sharing a database never hold the same delivery at once, so none sends one twice
//! while it is alive. A node that dies mid-POST leaves its delivery leased; when the lease runs
//! out it is sent again (receivers may see that one twice — a webhook is at-least-once, as in
//! Ghost, and the signature's timestamp lets them tell).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use dateline_store::webhooks::{self as store, Attempt, Claimed, Outcome};
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;

use super::{SITE_URL_PLACEHOLDER, WebhookOptions};
use crate::{App, Result};

/// Sent with every delivery.
pub const USER_AGENT: &str = concat!(
    "Dateline/",
    env!("CARGO_PKG_VERSION"),
    " (+https://example.invalid/dateline; webhooks)"
);

/// A receiver answering this wants no more deliveries: the webhook is deleted, as Ghost does.
const GONE: i64 = 410;

/// Looks after a wake-up that found nothing, and the pause between them.
const QUICK_LOOKS: u32 = 10;
const QUICK_LOOK: Duration = Duration::from_millis(100);

/// The client every delivery goes through: http and https (Mozilla's roots, rustls on ring).
pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A client for [`App::deliver_webhooks`].
pub fn http_client() -> std::io::Result<HttpClient> {
    let connector = HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
        .map_err(std::io::Error::other)?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}

/// Ghost's `X-Ghost-Signature`: `sha256=<hex HMAC-SHA256 of body followed by ts>, t=<ts>`,
/// `ts` being the send time in milliseconds since the epoch.
pub fn signature(secret: &str, body: &str, ts_millis: i64) -> String {
    // An HMAC takes a key of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body.as_bytes());
    mac.update(ts_millis.to_string().as_bytes());
    format!(
        "sha256={}, t={ts_millis}",
        hex::encode(mac.finalize().into_bytes())
    )
}

impl App {
    /// One pass of the worker: claims due deliveries and sends them, one at a time, with
    /// `site_url` in place of the payload's placeholder. Returns how many it attempted.
    pub async fn deliver_webhooks(&self, site_url: &str, client: &HttpClient) -> Result<usize> {
        let options = &self.webhooks.delivery;
        let now = dateline_core::time::now();
        let claim = dateline_core::id::random_hex(12);
        let hold = options
            .timeout
            .saturating_mul(options.batch_size.saturating_add(1))
            .saturating_add(Duration::from_secs(1));
        let lease_until = now
            .checked_add(SignedDuration::try_from(hold).unwrap_or(SignedDuration::MAX))
            .unwrap_or(now);
        let mut tx = self.store.begin().await?;
        let batch = store::claim(&mut tx, &claim, now, lease_until, options.batch_size).await?;
        tx.commit().await?;
        for delivery in &batch {
            let attempt = post(client, options.timeout, site_url, delivery).await;
            let outcome = outcome(options, delivery, &attempt);
            let mut tx = self.store.begin().await?;
            let recorded = store::record(&mut tx, delivery, &claim, &attempt, outcome).await?;
            let gone = recorded && attempt.response_status == Some(GONE);
            if gone {
                store::delete(&mut tx, &delivery.webhook_id).await?;
            }
            tx.commit().await?;
            if gone {
                tracing::info!(url = %delivery.target_url, "webhook deleted: its target answered 410 Gone");
            } else if !recorded {
                tracing::warn!(
                    delivery = delivery.id,
                    "webhook lease lost before its attempt was recorded"
                );
            } else if outcome == Outcome::Failed {
                tracing::warn!(
                    delivery = delivery.id,
                    url = %delivery.target_url,
                    error = attempt.error.as_deref().unwrap_or_default(),
                    "webhook delivery failed for good"
                );
            }
        }
        Ok(batch.len())
    }

    /// Runs [`App::deliver_webhooks`] until `shutdown` resolves: again at once while there is
    /// work, on a poll (or when a delivery is queued) when idle. A batch in hand is finished
    /// before stopping.
    pub async fn run_webhook_worker(
        &self,
        site_url: String,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let options = self.webhooks.delivery.clone();
        let client = match http_client() {
            Ok(client) => client,
            Err(err) => {
                tracing::error!(error = %err, "cannot build the webhook HTTP client; webhooks stay queued");
                return;
            }
        };
        // A wake-up comes from inside the transaction that queued the delivery, possibly before
        // its commit; a few quick looks after one find it without waiting for the next poll.
        let mut quick_looks = 0;
        loop {
            let pause = match self.deliver_webhooks(&site_url, &client).await {
                Ok(0) if quick_looks > 0 => {
                    quick_looks -= 1;
                    QUICK_LOOK
                }
                Ok(0) => options.idle_poll,
                Ok(_) => Duration::ZERO,
                Err(err) => {
                    tracing::error!(error = %err, "webhook delivery failed; will retry");
                    options.idle_poll
                }
            };
            tokio::select! {
                biased;
                _ = &mut shutdown => return,
                _ = self.webhooks.wake.notified() => quick_looks = QUICK_LOOKS,
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// POSTs one delivery and says what happened. The whole exchange, connecting included, has
/// `timeout`; the answer's body is not read.
async fn post(
    client: &HttpClient,
    timeout: Duration,
    site_url: &str,
    delivery: &Claimed,
) -> Attempt {
    let body = delivery.payload.replace(SITE_URL_PLACEHOLDER, site_url);
    let started_at = dateline_core::time::now();
    let ts = Timestamp::now().as_millisecond();
    let mut request = hyper::Request::post(delivery.target_url.as_str())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, USER_AGENT);
    if let Some(secret) = delivery.secret.as_deref().filter(|s| !s.is_empty()) {
        request = request.header("X-Ghost-Signature", signature(secret, &body, ts));
    }
    let clock = Instant::now();
    let answer = match request.body(Full::new(Bytes::from(body))) {
        Ok(request) => match tokio::time::timeout(timeout, client.request(request)).await {
            Ok(Ok(response)) => Ok(response.status()),
            Ok(Err(err)) => Err(describe(&err)),
            Err(_) => Err(format!("no answer within {} s", timeout.as_secs_f32())),
        },
        Err(err) => Err(describe(&err)),
    };
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (response_status, error) = match answer {
        Ok(status) if status.is_success() => (Some(i64::from(status.as_u16())), None),
        Ok(status) => (
            Some(i64::from(status.as_u16())),
            Some(format!("Request failed: HTTP {status}")),
        ),
        Err(err) => (None, Some(format!("Request failed: {err}"))),
    };
    Attempt {
        started_at,
        duration_ms,
        response_status,
        error,
    }
}

/// An error with its causes, which is where a transport error says what went wrong.
fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn outcome(options: &WebhookOptions, delivery: &Claimed, attempt: &Attempt) -> Outcome {
    if attempt.error.is_none() {
        Outcome::Delivered
    } else if delivery.attempts + 1 >= options.max_attempts || attempt.response_status == Some(GONE)
    {
        Outcome::Failed
    } else {
        let wait = backoff(options, delivery.attempts);
        Outcome::RetryAt(
            attempt
                .started_at
                .checked_add(wait)
                .unwrap_or(attempt.started_at),
        )
    }
}

/// `retry_base · 2^(attempts already failed)`, at most `retry_max`.
fn backoff(options: &WebhookOptions, failed_before: i64) -> SignedDuration {
    let factor = 1_i32 << failed_before.clamp(0, 20);
    options
        .retry_base
        .checked_mul(factor)
        .unwrap_or(options.retry_max)
        .min(options.retry_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_ghosts() {
        // HMAC-SHA256("secret", "{}1700000000000"), computed independently with openssl.
        assert_eq!(
            signature("secret", "{}", 1_700_000_000_000),
            "sha256=84658c3edc621b419d932c5077a2d0f53ce4b6666aff13ce491f8bca818caafe, t=1700000000000"
        );
    }

    /// Most receivers (automation services, static-site builders) only take https: the
    /// delivery must open a TLS session, not refuse the scheme.
    #[tokio::test]
    async fn https_targets_get_a_tls_handshake() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let first_byte = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut byte = [0u8; 1];
            socket.read_exact(&mut byte).await.unwrap();
            byte[0]
        });
        let delivery = Claimed {
            id: 1,
            webhook_id: "w".into(),
            event: "site.changed".into(),
            payload: "{}".into(),
            attempts: 0,
            target_url: format!("https://localhost:{port}/hook"),
            secret: None,
        };
        let client = http_client().unwrap();
        let attempt = post(&client, Duration::from_secs(2), "http://site", &delivery).await;
        // 0x16 opens a TLS handshake record (a ClientHello); the listener never answers it.
        assert_eq!(first_byte.await.unwrap(), 0x16);
        assert!(attempt.error.is_some() && attempt.response_status.is_none());
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let options = WebhookOptions::default();
        assert_eq!(backoff(&options, 0), SignedDuration::from_secs(10));
        assert_eq!(backoff(&options, 2), SignedDuration::from_secs(40));
        assert_eq!(backoff(&options, 40), options.retry_max);
    }
}
