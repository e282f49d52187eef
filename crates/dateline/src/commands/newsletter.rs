//! `dateline newsletter send|status|cancel`: queueing is done here, delivery by the worker of a
//! running `serve` (the queue lives in the database, so the two need not be the same process).

use anyhow::{Context, Result, bail};

use super::open;
use crate::cli::{NewsletterCommand, ServeArgs};
use crate::config::{Config, url_for_bind};

pub async fn run(config: &Config, command: NewsletterCommand) -> Result<()> {
    let app = open(config).await?;
    match command {
        NewsletterCommand::Send {
            post,
            newsletter,
            url,
        } => {
            // The same public URL `serve` would use, so links in the email match the site.
            let serve = config.serve(&ServeArgs {
                bind: None,
                url,
                smtp_url: None,
                smtp_ca_file: None,
                mail_concurrency: 1,
                mail_rate: None,
            })?;
            let site_url = serve.url.unwrap_or_else(|| url_for_bind(serve.bind));
            let Some(detail) = app.post_by_slug(&post).await? else {
                bail!("no post has the slug `{post}`");
            };
            let newsletter = match newsletter {
                Some(slug) => slug,
                None => app
                    .newsletters()
                    .await?
                    .into_iter()
                    .next()
                    .map(|n| n.slug)
                    .context("the site has no newsletter")?,
            };
            let send = app
                .send_post_to_newsletter(&site_url, detail.post.id.as_str(), &newsletter)
                .await?;
            let progress = app.send_progress(send.as_str()).await?;
            eprintln!(
                "Queued `{post}` for {} subscribers of {newsletter}; `dateline serve` delivers it.",
                progress.queued
            );
            println!("{send}");
        }
        NewsletterCommand::Status { send } => {
            let p = app.send_progress(&send).await?;
            println!(
                "{}: {} sent, {} queued, {} sending, {} failed, {} unknown, {} cancelled (of {})",
                p.status,
                p.sent,
                p.queued,
                p.sending,
                p.failed,
                p.unknown,
                p.cancelled,
                p.total()
            );
        }
        NewsletterCommand::Cancel { send } => {
            if app.cancel_send(&send).await? {
                println!("Cancelled {send}.");
            } else {
                bail!("{send} is not being sent (finished, cancelled or unknown)");
            }
        }
    }
    Ok(())
}
