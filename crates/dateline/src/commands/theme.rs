//! `dateline theme …`: Ghost themes in `<data>/themes/`, kept in the database too so every
//! node sharing it has them. Findings go to stderr in the `file:line: message` form editors
//! jump to; a theme with errors exits non-zero.

use anyhow::{Result, bail};
use dateline_app::App;
use dateline_app::themes::ThemeInstallError;

use super::open;
use crate::cli::ThemeCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: ThemeCommand) -> Result<()> {
    match command {
        ThemeCommand::Install { path, activate } => {
            let app = open(config).await?;
            let (name, report) = match app.install_shared_theme(&config.data, &path).await {
                Ok(installed) => installed,
                Err(ThemeInstallError::Refused(report)) => {
                    eprint!("{report}");
                    bail!(
                        "the theme at {} has errors; it was not installed",
                        path.display()
                    );
                }
                Err(err) => return Err(err.into()),
            };
            eprint!("{report}");
            println!("Installed the theme {name}.");
            if activate {
                app.activate_theme(&config.data, &name).await?;
                println!("Activated {name}; restart the server to use it.");
            }
            announce(&app).await;
            Ok(())
        }
        ThemeCommand::Activate { name } => {
            let app = open(config).await?;
            app.activate_theme(&config.data, &name).await?;
            println!("Activated {name}; restart the server to use it.");
            announce(&app).await;
            Ok(())
        }
        ThemeCommand::List => {
            for theme in open(config).await?.list_themes(&config.data).await? {
                let mark = if theme.active { "*" } else { " " };
                println!("{mark} {}", theme.name);
            }
            Ok(())
        }
        ThemeCommand::Check { path } => {
            let report = dateline_theme::check_dir(&path)?;
            eprint!("{report}");
            if report.has_errors() {
                bail!("the theme at {} has errors", path.display());
            }
            println!("The theme {} can be installed.", report.name());
            Ok(())
        }
    }
}

/// Tells running servers sharing a PostgreSQL database that themes changed: they unpack the
/// new one and put an activated one in service. Servers on SQLite (one node, started by hand)
/// take it in when they next start.
async fn announce(app: &App) {
    if let Err(err) = app.store.announce_change("cli").await {
        tracing::warn!(error = %err, "cannot tell running servers about the theme");
    }
}
