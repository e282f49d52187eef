//! `dateline members import|export`: Ghost's member CSV, with a progress bar.

use std::io::Write;

use anyhow::{Context, Result};

use super::{open, progress_bar};
use crate::cli::MembersCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: MembersCommand) -> Result<()> {
    let app = open(config).await?;
    match command {
        MembersCommand::Import { file, labels } => {
            let bytes = tokio::fs::read(&file)
                .await
                .with_context(|| format!("cannot read {}", file.display()))?;
            let bar = progress_bar("Importing members");
            let report = app
                .import_members_csv(&bytes, &labels, &|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .with_context(|| format!("{} was not imported", file.display()))?;
            bar.finish_and_clear();
            for (line, email, why) in &report.invalid {
                eprintln!("skipped line {line} ({email:?}): {why}");
            }
            println!(
                "Imported {}: {} new members, {} already members, {} skipped (each listed above).",
                file.display(),
                report.imported,
                report.existing,
                report.invalid.len()
            );
        }
        MembersCommand::Export { file } => {
            let bar = progress_bar("Exporting members");
            let mut out: Vec<u8> = Vec::new();
            let written = app
                .export_members_csv(&mut out, &|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await?;
            bar.finish_and_clear();
            match file.filter(|f| f.as_os_str() != "-") {
                None => std::io::stdout().write_all(&out)?,
                Some(file) => {
                    // Beside the target, then renamed: never half a file under its name.
                    let partial = file.with_extension("csv.partial");
                    tokio::fs::write(&partial, &out)
                        .await
                        .with_context(|| format!("cannot write {}", partial.display()))?;
                    tokio::fs::rename(&partial, &file)
                        .await
                        .with_context(|| format!("cannot write {}", file.display()))?;
                    eprintln!("Exported {written} members to {}.", file.display());
                }
            }
        }
    }
    Ok(())
}
