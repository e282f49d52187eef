mod export;
mod import;
mod integration;
mod serve;
mod setup;
