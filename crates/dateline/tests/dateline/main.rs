//! Dateline's integration tests, in one binary. The modules mirror what they exercise: `cli/`
//! runs the real `dateline` binary, `site/` talks HTTP to a served app, `store/` checks the
//! databases. Each test runs on SQLite and on PostgreSQL (see `dateline_testkit`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin_api;
mod admin_ui;
mod app;
mod cli;
mod content_api;
mod members;
mod site;
mod store;
mod support;
mod themes;
