//! The command line. Every setting is a flag with an environment variable beside it; the data
//! folder and database apply to every command, so `DATELINE_DATA=/srv/news dateline import x`
//! works the same as for `serve`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dateline",
    version,
    about = "A self-hosted news publishing platform, compatible with Ghost."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder for the database, images and `dateline.toml` [default: ./data]
    #[arg(long, env = "DATELINE_DATA", global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Database URL: `sqlite:PATH` or `postgres://…` [default: sqlite:<data>/dateline.db]
    #[arg(
        long,
        env = "DATELINE_DATABASE_URL",
        global = true,
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the site, the admin and the APIs
    Serve(ServeArgs),
    /// Create the site's owner account without a browser
    Setup(SetupArgs),
    /// Manage integrations (API keys)
    #[command(subcommand)]
    Integration(IntegrationCommand),
    /// Import a Ghost JSON export (Ghost 4 or 5)
    Import(ImportArgs),
    /// Write the site as a Ghost JSON export
    Export(ExportArgs),
    /// Install, activate and list Ghost themes
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Send posts to newsletters; a running `serve` delivers them
    #[command(subcommand)]
    Newsletter(NewsletterCommand),
    /// Import and export members as Ghost's member CSV
    #[command(subcommand)]
    Members(MembersCommand),
    /// Show or upload the site's routes.yaml (Ghost's custom routes, channels, collections)
    #[command(subcommand)]
    Routes(RoutesCommand),
    /// Manage uploaded images
    #[command(subcommand)]
    Images(ImagesCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// Store in the database every original in `<data>/content/images/` it lacks (images taken
    /// in before the database kept them, or a Ghost `content/images` copied in), so every node
    /// sharing the database serves them; safe to stop and run again
    Sync,
}

#[derive(Debug, Subcommand)]
pub enum RoutesCommand {
    /// Print the site's routes.yaml (Ghost's default when none was uploaded)
    Show,
    /// Check a routes.yaml and store it as the site's
    Upload {
        /// The routes.yaml file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewsletterCommand {
    /// Queue a published post for every subscriber of a newsletter; prints the send's id
    Send {
        /// The post's slug
        post: String,
        /// The newsletter's slug [default: the first newsletter]
        #[arg(long)]
        newsletter: Option<String>,
        /// Public URL the email links to [default: as `serve`]
        #[arg(long, env = "DATELINE_URL", value_name = "URL")]
        url: Option<String>,
    },
    /// Show how many recipients of a send are queued, sent, failed…
    Status {
        /// The id `newsletter send` printed
        send: String,
    },
    /// Stop a send: recipients still queued get nothing
    Cancel {
        /// The id `newsletter send` printed
        send: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Import Ghost's member CSV (`email` is the one column needed); addresses already here are
    /// not added again, bad ones are skipped and listed
    Import {
        /// The CSV file
        file: PathBuf,
        /// A label every imported member also gets (may be repeated)
        #[arg(long = "label", value_name = "NAME")]
        labels: Vec<String>,
    },
    /// Write every member as Ghost's member CSV
    Export {
        /// Where to write; standard output when left out or `-`
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Check a Ghost theme (a folder or a .zip) and install it into `<data>/themes/`
    Install {
        /// The theme's folder (with its `package.json`), or a .zip of it as Ghost exports themes
        path: PathBuf,
        /// Make it the site's theme as well
        #[arg(long)]
        activate: bool,
    },
    /// Make an installed theme the site's theme (`builtin` for Dateline's own); takes effect
    /// when the server next starts
    Activate {
        /// The theme's name, as `dateline theme list` shows it
        name: String,
    },
    /// List installed themes; the active one is marked with `*`
    List,
    /// Check a theme folder without installing it
    Check {
        /// The theme's folder
        path: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:2368]
    #[arg(long, env = "DATELINE_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Public URL used in every absolute link [default: derived from --bind]
    #[arg(long, env = "DATELINE_URL", value_name = "URL")]
    pub url: Option<String>,
    /// SMTP server for sign-in links and newsletters: `smtp://host:port` (plain, for a local
    /// relay), `smtp://user:pass@host:587?tls=required` or `smtps://…` [default: mail is logged]
    #[arg(
        long,
        env = "DATELINE_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// A PEM file with the certificate of a private CA that signed the SMTP server's
    /// certificate; trusted besides the public roots [default: public roots only]
    #[arg(long, env = "DATELINE_SMTP_CA_FILE", value_name = "PEM")]
    pub smtp_ca_file: Option<PathBuf>,
    /// Newsletter messages in flight at once, each on its own SMTP connection
    #[arg(
        long,
        env = "DATELINE_MAIL_CONCURRENCY",
        value_name = "N",
        default_value_t = 8
    )]
    pub mail_concurrency: usize,
    /// At most this many newsletter messages a second (for a relay with a quota) [default: no
    /// limit]
    #[arg(long, env = "DATELINE_MAIL_RATE", value_name = "PER_SECOND")]
    pub mail_rate: Option<u32>,
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The site's title
    #[arg(long)]
    pub title: String,
    /// The owner's email address (their sign-in)
    #[arg(long)]
    pub email: String,
    /// The owner's name, as shown in bylines
    #[arg(long)]
    pub name: String,
    /// The owner's password, at least 10 characters
    #[arg(long, env = "DATELINE_OWNER_PASSWORD", hide_env_values = true)]
    pub password: String,
}

#[derive(Debug, Subcommand)]
pub enum IntegrationCommand {
    /// Create an integration and print its Content and Admin API keys as JSON
    Create {
        /// A name to recognise it by, e.g. "Zapier"
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file (`.json`) that Ghost's Settings → Labs → Export wrote
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write the export; `-` writes to standard output
    pub file: PathBuf,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
