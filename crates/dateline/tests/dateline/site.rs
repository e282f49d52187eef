mod caching;
mod feeds;
mod health;
mod home;
mod images;
mod layers;
mod signup;
mod sitemaps;
