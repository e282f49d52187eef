//! The site's pages, rendered from the Ghost 5.130 fixture site. One module per kind of URL,
//! as the site serves them, for the built-in theme (an insta snapshot and tests of the values
//! that matter on each page), and `ghost_theme` for a Ghost theme folder replacing it.

// Test helpers may panic: a failed fixture load or render is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

mod arabic;
mod article;
mod assets;
mod author;
mod ghost6_helpers;
mod ghost_theme;
mod home;
mod images;
mod not_found;
mod page;
mod render_time;
mod tag;
