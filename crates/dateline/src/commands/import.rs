use anyhow::{Context, Result};

use super::{open, progress_bar};
use crate::cli::ImportArgs;
use crate::config::Config;

pub async fn run(config: &Config, args: &ImportArgs) -> Result<()> {
    let bytes = tokio::fs::read(&args.file)
        .await
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let app = open(config).await?;
    let bar = progress_bar("Importing");
    let report = app
        .import_ghost(&bytes, &|done, total| {
            if done == 0 {
                // Said plainly (not only in the bar) so logs and scripts see the phase change.
                eprintln!("Checked {}: {total} records. Writing…", args.file.display());
            }
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .with_context(|| {
            format!(
                "{} was not imported; nothing was changed",
                args.file.display()
            )
        })?;
    bar.finish_and_clear();
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "Imported {}: {} posts, {} pages, {} tags, {} staff users, {} settings, \
         {} newsletters, {} tiers, {} theme settings, {} labels, {} members. \
         Already here and left alone: {} posts, {} tags, {} staff users, {} newsletters, \
         {} tiers, {} labels; {} members merged.",
        args.file.display(),
        report.posts_added,
        report.pages_added,
        report.tags_added,
        report.users_added,
        report.settings_written,
        report.newsletters_added,
        report.tiers_added,
        report.theme_settings_written,
        report.labels_added,
        report.members_added,
        report.posts_skipped,
        report.tags_matched,
        report.users_matched,
        report.newsletters_matched,
        report.tiers_matched,
        report.labels_matched,
        report.members_matched,
    );
    // The import is one transaction, so on SQLite all of it sits in the write-ahead log until
    // a checkpoint copies it into the database (3 GB for 100k posts). Closing checkpoints it
    // here; left to the next `serve`, it cost that start 1.2 s to open the log and seconds more
    // to read through it before the first page.
    app.store.close().await;
    Ok(())
}
