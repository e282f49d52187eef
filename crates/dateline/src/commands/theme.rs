//! `dateline theme …`: Ghost themes in `<data>/themes/`. Findings go to stderr in the
//! `file:line: message` form editors jump to; a theme with errors exits non-zero.

use anyhow::{Result, bail};
use dateline_app::themes::{self, ThemeInstallError};

use super::open;
use crate::cli::ThemeCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: ThemeCommand) -> Result<()> {
    match command {
        ThemeCommand::Install { path, activate } => {
            let (name, report) = match themes::install_theme(&config.data, &path) {
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
                open(config)
                    .await?
                    .activate_theme(&config.data, &name)
                    .await?;
                println!("Activated {name}; restart the server to use it.");
            }
            Ok(())
        }
        ThemeCommand::Activate { name } => {
            open(config)
                .await?
                .activate_theme(&config.data, &name)
                .await?;
            println!("Activated {name}; restart the server to use it.");
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
