mod editorial;
mod relay;
mod scheduler;
mod sign_in;
