//! `dateline routes …`: the site's `routes.yaml` (see `dateline_app::routes_yaml`). A refused
//! file exits non-zero with the line that is wrong.

use anyhow::{Context, Result};

use super::open;
use crate::cli::RoutesCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: RoutesCommand) -> Result<()> {
    match command {
        RoutesCommand::Show => {
            print!("{}", open(config).await?.routes_text(&config.data).await?);
            Ok(())
        }
        RoutesCommand::Upload { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let routes = open(config)
                .await?
                .upload_routes(&text)
                .await
                .with_context(|| format!("{} was not uploaded", file.display()))?;
            println!(
                "Stored routes.yaml ({} routes, {} collections).",
                routes.routes.len(),
                routes.collections.len()
            );
            Ok(())
        }
    }
}
