mod export;
mod help;
mod import;
mod import_members;
mod integration;
mod routes;
mod serve;
mod setup;
