mod export;
mod help;
mod import;
mod integration;
mod serve;
mod setup;
