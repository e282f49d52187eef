//! Ghost features Dateline's sites do not have yet, printed as Ghost prints them on a site
//! without them: nothing. `{{comments}}` and `{{comment_count}}` (comments off),
//! `{{recommendations}}` (none), `{{tiers}}` (no paid tiers) and `{{cancel_link}}` (no paid
//! subscription to cancel).

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};

/// A Ghost feature the site has switched off: it prints nothing, and is not an unknown
/// helper.
pub(crate) struct Disabled;

impl HelperDef for Disabled {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        Ok(())
    }
}
