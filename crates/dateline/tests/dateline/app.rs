mod editorial;
mod scheduler;
mod sign_in;
