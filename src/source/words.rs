//! Comparing "like headers" (contract §8): after trimming Unicode
//! whitespace, NFC normalisation and lower-casing, so that `Mã NV`,
//! ` mã nv ` and a decomposed `Mã NV` are one header, and `Không`,
//! `KHÔNG` and `không` one word.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `text` as headers and words are compared.
pub(crate) fn like_header(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim();
    if trimmed.is_ascii() {
        if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(trimmed.to_ascii_lowercase());
        }
        return Cow::Borrowed(trimmed);
    }
    // Case has no combining marks, so lower-casing first and composing
    // after gives the composed lower-case form.
    Cow::Owned(trimmed.to_lowercase().nfc().collect())
}

/// Text read through a source, NFC-normalised, so that data typed on
/// another system (or decomposed by a Windows code page) compares equal
/// to the rules' strings. Borrowed when it already is.
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.nfc().collect())
}

/// A list of words, compared like headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Words {
    /// Each word as compared; `""` is kept apart in `blank`.
    words: Vec<String>,
    /// The list names `""`: a cell that trims to nothing is this word.
    pub blank: bool,
    /// The longest word, in bytes: a longer text is not looked up.
    longest: usize,
}

impl Words {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Words {
        let mut list = Words::default();
        for word in words {
            let compared = like_header(word);
            if compared.is_empty() {
                list.blank = true;
            } else if !list.words.iter().any(|w| *w == compared) {
                list.longest = list.longest.max(compared.len());
                list.words.push(compared.into_owned());
            }
        }
        list
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && !self.blank
    }

    /// Whether `compared` (a text as [`like_header`] gives it) is one of
    /// the words.
    pub fn contains(&self, compared: &str) -> bool {
        if compared.is_empty() {
            return self.blank;
        }
        self.words.iter().any(|w| w == compared)
    }

    /// Whether a text of `len` bytes could be one of the words: a
    /// decomposed text is at most a few times longer than its composed
    /// form, so anything longer is not worth comparing.
    pub fn could_hold(&self, len: usize) -> bool {
        len <= self.longest * 4 + 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_after_trimming_nfc_and_lower_casing() {
        let composed = "Mã NV";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(like_header(composed), "mã nv");
        assert_eq!(like_header(&decomposed), "mã nv");
        assert_eq!(like_header(" \u{00A0}mã nv\t"), "mã nv");
        assert_eq!(like_header("KHÔNG"), like_header("không"));
        assert_eq!(like_header("N/A"), "n/a");
    }

    #[test]
    fn words_find_their_variants_and_the_blank_word() {
        let words = Words::new(["Có", "x", ""]);
        assert!(words.contains(&like_header("CÓ")));
        assert!(words.contains(&like_header(" X ")));
        assert!(words.contains(&like_header("   ")));
        assert!(!words.contains(&like_header("Không")));
        assert!(!Words::new(["Có"]).contains(""));
    }

    #[test]
    fn nfc_composes_what_is_decomposed_and_borrows_the_rest() {
        let decomposed: String = "Sở Nội vụ".nfd().collect();
        assert_eq!(nfc(&decomposed), "Sở Nội vụ");
        assert!(matches!(nfc("Sở Nội vụ"), Cow::Borrowed(_)));
        assert!(matches!(nfc("plain"), Cow::Borrowed(_)));
    }
}
