use std::io::Write;

use anyhow::{Context, Result};

use super::{open, progress_bar};
use crate::cli::ExportArgs;
use crate::config::Config;

pub async fn run(config: &Config, args: &ExportArgs) -> Result<()> {
    let app = open(config).await?;
    let bar = progress_bar("Exporting");
    let export = app
        .export_ghost(&|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    let bytes = serde_json::to_vec(&export)?;
    if args.file.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
        return Ok(());
    }
    // Write beside the target and rename, so an interrupted export never leaves half a file
    // under the name the user asked for.
    let partial = args.file.with_extension("json.partial");
    tokio::fs::write(&partial, &bytes)
        .await
        .with_context(|| format!("cannot write {}", partial.display()))?;
    tokio::fs::rename(&partial, &args.file)
        .await
        .with_context(|| format!("cannot write {}", args.file.display()))?;
    eprintln!("Exported the site to {}.", args.file.display());
    Ok(())
}
