mod health;
mod home;
