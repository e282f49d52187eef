//! One function per command. Each loads the configuration, opens the store (running pending
//! migrations) and calls a use case.

mod export;
mod images;
mod import;
mod members;
mod newsletter;
mod routes;
mod serve;
mod theme;

use anyhow::{Context, Result};
use dateline_app::App;
use dateline_app::setup::OwnerInput;
use dateline_store::Store;

use crate::cli::{Cli, Command, IntegrationCommand};
use crate::config::Config;

pub async fn run(cli: Cli) -> Result<()> {
    let config = Config::load(&cli.global)?;
    match cli.command {
        Command::Serve(args) => serve::run(&config, &args).await,
        Command::Setup(args) => {
            let app = open(&config).await?;
            let user = app
                .create_owner(OwnerInput {
                    site_title: &args.title,
                    name: &args.name,
                    email: &args.email,
                    password: &args.password,
                })
                .await?;
            println!("Created the owner {} <{}>.", user.name, user.email);
            Ok(())
        }
        Command::Integration(IntegrationCommand::Create { name }) => {
            let app = open(&config).await?;
            let keys = app.create_integration(&name).await?;
            println!("{}", serde_json::to_string_pretty(&keys)?);
            Ok(())
        }
        Command::Import(args) => import::run(&config, &args).await,
        Command::Export(args) => export::run(&config, &args).await,
        Command::Theme(command) => theme::run(&config, command).await,
        Command::Newsletter(command) => newsletter::run(&config, command).await,
        Command::Members(command) => members::run(&config, command).await,
        Command::Routes(command) => routes::run(&config, command).await,
        Command::Images(command) => images::run(&config, command).await,
    }
}

async fn open(config: &Config) -> Result<App> {
    let store = Store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                dateline_store::redact(&config.database_url)
            )
        })?;
    // Every command queues webhook deliveries for what it changes (a CLI import of members or
    // posts is as much a change as one through the API); `serve` delivers them.
    Ok(
        App::new(store)
            .with_webhooks(dateline_http::admin_api::webhooks::setup(Default::default())),
    )
}

/// A progress bar on stderr; indicatif draws nothing when stderr is not a terminal.
fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}
