mod editorial;
mod listing_counts;
mod relay;
mod scheduler;
mod sign_in;
