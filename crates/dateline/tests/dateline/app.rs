mod editorial;
mod listing_counts;
mod relay;
mod scheduler;
mod sign_in;

/// The site's owner, made through the first-run setup.
async fn owner(app: &dateline_app::App) -> dateline_core::user::User {
    app.create_owner(dateline_app::setup::OwnerInput {
        site_title: "The New Region",
        name: "Editorial Desk",
        email: "desk@example.com",
        password: "a long enough password",
    })
    .await
    .unwrap()
}
