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
