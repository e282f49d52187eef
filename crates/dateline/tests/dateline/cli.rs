mod export;
mod help;
mod import;
mod integration;
mod routes;
mod serve;
mod setup;
