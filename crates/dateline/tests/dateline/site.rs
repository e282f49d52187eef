mod caching;
mod feeds;
mod health;
mod home;
mod layers;
mod sitemaps;
