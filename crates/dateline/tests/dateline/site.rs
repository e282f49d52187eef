mod health;
mod home;
mod layers;
