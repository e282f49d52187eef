//! `{{encode title}}`: a value percent-encoded as JavaScript's `encodeURIComponent` does, for
//! share links (`https://twitter.com/share?text={{encode title}}`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};

use super::text;

pub(crate) struct Encode;

impl HelperDef for Encode {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let value = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        text(encode_uri_component(&value))
    }
}

fn encode_uri_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::encode_uri_component;

    #[test]
    fn matches_encode_uri_component() {
        assert_eq!(
            encode_uri_component("PM Sudani: Iraq's \"partner\" & ally/ك"),
            "PM%20Sudani%3A%20Iraq's%20%22partner%22%20%26%20ally%2F%D9%83"
        );
    }
}
