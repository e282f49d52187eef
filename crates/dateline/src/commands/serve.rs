use anyhow::{Context, Result};
use dateline_http::AppState;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::open;
use crate::cli::ServeArgs;
use crate::config::Config;

pub async fn run(config: &Config, args: &ServeArgs) -> Result<()> {
    let serve = config.serve(args)?;
    let trust = match &serve.smtp_ca_file {
        Some(path) => dateline_app::mailing::Trust::with_ca_file(path)
            .with_context(|| format!("--smtp-ca-file `{}` is not usable", path.display()))?,
        None => dateline_app::mailing::Trust::default(),
    };
    let url = serve.smtp_url.as_deref();
    if url.is_none() {
        tracing::info!("no SMTP server configured (--smtp-url): the admin's mail settings apply");
    }
    let mut mail = dateline_app::mailing::MailSetup::configured(url, trust).with_context(|| {
        format!(
            "--smtp-url `{}` is not usable",
            dateline_store::redact(url.unwrap_or_default())
        )
    })?;
    mail.delivery.concurrency = args.mail_concurrency.max(1);
    mail.delivery.rate_per_second = args.mail_rate.filter(|r| *r > 0);
    let app = open(config).await?.with_mail(mail);
    // The SMTP server saved in the admin's mail settings, unless one was configured above.
    app.load_mail_settings()
        .await
        .context("cannot read the mail settings")?;

    // Catch up on posts whose publish time passed while the server was down, before the first
    // reader can ask for them.
    app.publish_due(dateline_core::time::now())
        .await
        .context("cannot publish due scheduled posts")?;

    let listener = TcpListener::bind(serve.bind)
        .await
        .with_context(|| format!("cannot listen on {}", serve.bind))?;
    let local = listener.local_addr()?;
    // Derived from the bound address, so that with port 0 the URL names the real port.
    let url = serve
        .url
        .clone()
        .unwrap_or_else(|| crate::config::url_for_bind(local));
    println!("Dateline is serving {url}/");
    println!("Admin: {url}/admin/");

    // One stop signal for everything: the server stops accepting and drains in-flight
    // requests, and the scheduler finishes its current pass.
    let (stop_tx, stop_rx) = watch::channel(false);
    let scheduler = {
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            app.run_scheduler(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
            .await;
        })
    };
    // Newsletters: the send queue's worker. Stopping lets it finish the batch in hand.
    let mailer = {
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            app.run_mail_worker(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
            .await;
        })
    };
    // Webhooks: the delivery queue's worker. Stopping lets it finish the deliveries in hand.
    let webhooks = {
        let app = app.clone();
        let url = url.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            app.run_webhook_worker(url, async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
            .await;
        })
    };
    // Nodes sharing a PostgreSQL database tell each other about changes (no-op on SQLite).
    let relay = {
        let app = app.clone();
        let mut stop = stop_rx;
        tokio::spawn(async move {
            app.run_change_relay(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
            .await;
        })
    };
    let state = AppState::new(app.clone(), url, &config.data)
        .await
        .context("cannot load the theme")?;
    let shutdown = async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stop_tx.send(true);
    };
    let served = dateline_http::serve(listener, state, shutdown).await;
    if served.is_err() {
        scheduler.abort();
        relay.abort();
        webhooks.abort();
        mailer.abort();
    }
    let _ = scheduler.await;
    let _ = relay.await;
    let _ = webhooks.await;
    let _ = mailer.await;
    app.store.close().await;
    served.context("the server stopped")
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (service managers, containers).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
