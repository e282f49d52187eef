//! Which way a language is written. The newsroom publishes in Arabic, Sorani Kurdish and English
//! side by side, so every page and every story card says its own `lang` and `dir` instead of
//! inheriting the site's.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    Ltr,
    Rtl,
}

/// Languages written right to left (ISO 639 codes, as BCP 47 primary subtags).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "khw", "ks", "lrc",
    "mzn", "nqo", "prs", "ps", "sd", "sdh", "syr", "ug", "ur", "yi", "ji",
];

/// Scripts written right to left (ISO 15924), for tags like `ku-Arab` or `az-Arab`.
const RTL_SCRIPTS: &[&str] = &[
    "arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand",
];

impl TextDirection {
    /// The direction of a BCP 47 tag (`ar`, `ar-IQ`, `ckb`, `ku-Arab`). An explicit script
    /// subtag wins over the language, because Kurdish and Azerbaijani are written both ways.
    pub fn of(language: &str) -> Self {
        let mut subtags = language.split(['-', '_']);
        let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
        let script = subtags
            .find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_ascii_lowercase);
        let rtl = match script {
            Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
            None => RTL_LANGUAGES.contains(&primary.as_str()),
        };
        if rtl {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TextDirection::{self, Ltr, Rtl};

    #[test]
    fn right_to_left_languages() {
        for tag in [
            "ar", "ar-IQ", "ckb", "ckb-IQ", "fa", "he", "ur", "AR", "ku-Arab", "ps_AF",
        ] {
            assert_eq!(TextDirection::of(tag), Rtl, "{tag}");
        }
    }

    #[test]
    fn left_to_right_languages() {
        for tag in [
            "en", "en-GB", "ku", "ku-Latn", "tr", "arn", "", "az-Latn", "ar-Latn",
        ] {
            assert_eq!(TextDirection::of(tag), Ltr, "{tag}");
        }
    }
}
