//! `dateline images sync`: originals only this node's folder holds go into the database.
//!
//! Not done by `serve` on its own: a sync reads and decodes every image (minutes on a large
//! site, and every node starting at once would do it again), grows the database by the size
//! of the folder (an operator's call, for backups and disk), and its natural trigger, "the
//! table is empty", stops being true after the first upload. Run once, it says what it skipped.

use anyhow::{Context, Result};
use dateline_media::ImageStore;

use super::{open, progress_bar};
use crate::cli::ImagesCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: ImagesCommand) -> Result<()> {
    let app = open(config).await?;
    match command {
        ImagesCommand::Sync => {
            let media = ImageStore::new(&config.data);
            let bar = progress_bar("Storing images");
            let report = app
                .sync_images(&media, &|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .with_context(|| format!("cannot sync {}", media.root().display()))?;
            bar.finish_and_clear();
            for (path, why) in &report.skipped {
                eprintln!("skipped {path}: {why}");
            }
            println!(
                "Synced {}: {} images stored, {} already there, {} skipped.",
                media.root().display(),
                report.stored,
                report.already_there,
                report.skipped.len()
            );
        }
    }
    Ok(())
}
