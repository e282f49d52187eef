mod export;
mod help;
mod images;
mod import;
pub(crate) mod import_members;
mod integration;
mod routes;
mod serve;
mod setup;
