//! The theme the site renders with, shared by every handler and replaced in place when an
//! administrator activates or re-uploads a theme, so a switch shows without a restart.

use std::sync::{Arc, PoisonError, RwLock};

use dateline_theme::Theme;

#[derive(Clone)]
pub struct ActiveTheme(Arc<RwLock<Arc<Theme>>>);

impl ActiveTheme {
    pub fn new(theme: Theme) -> Self {
        ActiveTheme(Arc::new(RwLock::new(Arc::new(theme))))
    }

    /// The theme now; a render keeps the one it started with even if a switch happens.
    pub fn get(&self) -> Arc<Theme> {
        // A panic while swapping cannot leave a half-written `Arc`, so a poisoned lock is fine.
        Arc::clone(&self.0.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn replace(&self, theme: Theme) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(theme);
    }
}

/// How often a server looks whether content changed (here or, through the change relay, on
/// another node) before asking the database whether the active theme did.
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Keeps the served theme in line with the database until `shutdown` resolves: after any
/// change, themes uploaded or deleted on another node are unpacked or removed here, and a
/// theme activated or re-uploaded there is loaded and put in service. Changes made on this
/// node were put in service already; reloading one again is harmless.
pub async fn follow(state: crate::AppState, shutdown: impl std::future::Future<Output = ()>) {
    let app = &state.app;
    let mut seen_generation = app.events.generation();
    let mut stamp = app.active_theme_stamp().await.unwrap_or_default();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(FOLLOW_EVERY) => {}
        }
        let generation = app.events.generation();
        if generation == seen_generation {
            continue;
        }
        seen_generation = generation;
        if let Err(err) = app.sync_themes(&state.data_dir).await {
            tracing::warn!(error = %err, "cannot unpack the themes other nodes uploaded");
        }
        let now = match app.active_theme_stamp().await {
            Ok(now) => now,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read which theme is active");
                continue;
            }
        };
        if now == stamp {
            continue;
        }
        match app.load_active_theme(&state.data_dir).await {
            Ok(theme) => {
                state.theme.replace(theme);
                stamp = now;
                // Pages rendered with the old theme are stale.
                app.events.note_remote_change();
                seen_generation = app.events.generation();
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot load the theme another node activated")
            }
        }
    }
}
