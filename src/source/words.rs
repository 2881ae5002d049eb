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
}

impl Words {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Words {
        let mut list = Words::default();
        for word in words {
            let compared = like_header(word);
            if compared.is_empty() {
                list.blank = true;
            } else if !list.words.iter().any(|w| *w == compared) {
                list.words.push(compared.into_owned());
            }
        }
        list
    }
}

/// What a column's words make of a value, before its type is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    Missing,
    Bool(bool),
    /// None of the words: read it as its type.
    Other,
}

/// A column's words, looked up together: its own `missing`, `yes` and
/// `no` lists, then the file-wide `missing` (the first list that has a
/// word decides). Built once; looked up for every value of the column,
/// so a value that cannot be a word is turned away without being
/// normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WordTable {
    /// Each word as compared, with what it means, in the lists' order.
    entries: Vec<(String, Word)>,
    /// What a value that trims to nothing is.
    pub blank: Word,
    /// Bit `n`: an ASCII word of `n` bytes (`n < 64`), or a longer one.
    ascii_lengths: u64,
    /// For each ASCII byte, whether a word starts with it (in either case).
    first_bytes: [bool; 128],
    /// The longest word, in bytes.
    longest: usize,
}

impl WordTable {
    /// The lists in the order they are looked at, each with its meaning.
    pub fn new(lists: &[(&Words, Word)]) -> WordTable {
        let mut entries: Vec<(String, Word)> = Vec::new();
        let mut blank = Word::Missing;
        let mut blank_set = false;
        for (words, meaning) in lists {
            if words.blank && !blank_set {
                blank = *meaning;
                blank_set = true;
            }
            for word in &words.words {
                if !entries.iter().any(|(w, _)| w == word) {
                    entries.push((word.clone(), *meaning));
                }
            }
        }
        let mut ascii_lengths = 0u64;
        for (word, _) in &entries {
            if word.is_ascii() {
                ascii_lengths |= 1 << word.len().min(63);
            }
        }
        let mut first_bytes = [false; 128];
        for (word, _) in &entries {
            // Decomposed, `ốm` starts with `o`: so may a value that is it.
            if let Some(c) = word.nfd().next().filter(char::is_ascii) {
                first_bytes[usize::from(c.to_ascii_lowercase() as u8)] = true;
                first_bytes[usize::from(c.to_ascii_uppercase() as u8)] = true;
            }
        }
        let longest = entries.iter().map(|(w, _)| w.len()).max().unwrap_or(0);
        WordTable {
            entries,
            blank,
            ascii_lengths,
            first_bytes,
            longest,
        }
    }

    /// What `trimmed` (a value without surrounding whitespace) is.
    #[inline(always)]
    pub fn lookup(&self, trimmed: &str) -> Word {
        // Most values start with a byte no word starts with, which is
        // seen here, before any call. (A value that starts with an ASCII
        // byte starts with it once compared, too.)
        match trimmed.as_bytes().first() {
            None => self.blank,
            Some(first) if first.is_ascii() && !self.first_bytes[usize::from(*first)] => Word::Other,
            Some(_) => self.lookup_words(trimmed),
        }
    }

    #[inline(never)]
    fn lookup_words(&self, trimmed: &str) -> Word {
        if self.entries.is_empty() {
            return Word::Other;
        }
        let no_ascii_word_this_long = self.ascii_lengths & (1 << trimmed.len().min(63)) == 0;
        if trimmed.is_ascii() {
            // Lower-casing and composing leave ASCII text ASCII and as
            // long: only an ASCII word of the same length can be it.
            if no_ascii_word_this_long {
                return Word::Other;
            }
            return self
                .entries
                .iter()
                .find(|(w, _)| w.len() == trimmed.len() && w.eq_ignore_ascii_case(trimmed))
                .map_or(Word::Other, |(_, meaning)| *meaning);
        }
        // A decomposed text is at most a few times longer than its
        // composed form: anything longer is not worth normalising.
        if trimmed.len() > self.longest * 4 + 4 {
            return Word::Other;
        }
        let compared = like_header(trimmed);
        self.entries
            .iter()
            .find(|(w, _)| *w == compared)
            .map_or(Word::Other, |(_, meaning)| *meaning)
    }
}

/// `text` without surrounding whitespace; most values have none, which
/// their two ends show without looking at the rest.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if solid(text.as_bytes().first()) && solid(text.as_bytes().last()) {
        text
    } else {
        text.trim()
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
        let table =
            |words: &[&str]| WordTable::new(&[(&Words::new(words.iter().copied()), Word::Bool(true))]);
        let words = table(&["Có", "x", ""]);
        assert_eq!(words.lookup(trim("CÓ")), Word::Bool(true));
        assert_eq!(words.lookup(trim(" X ")), Word::Bool(true));
        assert_eq!(words.lookup(trim("   ")), Word::Bool(true));
        assert_eq!(words.lookup(trim("Không")), Word::Other);
        assert_eq!(table(&["Có"]).lookup(""), Word::Missing);
        // Decomposed, a word that starts with an accented letter starts
        // with a plain one.
        let decomposed: String = "Ốm".nfd().collect();
        assert_eq!(table(&["ốm"]).lookup(&decomposed), Word::Bool(true));
    }

    #[test]
    fn a_table_looks_lists_up_in_order_and_turns_others_away_early() {
        let own = Words::new(["--:--"]);
        let yes = Words::new(["Có", "x"]);
        let no = Words::new(["Không", ""]);
        let all = Words::new(["N/A", "x"]);
        let table = WordTable::new(&[
            (&own, Word::Missing),
            (&yes, Word::Bool(true)),
            (&no, Word::Bool(false)),
            (&all, Word::Missing),
        ]);
        assert_eq!(table.lookup("--:--"), Word::Missing);
        assert_eq!(
            table.lookup("X"),
            Word::Bool(true),
            "yes is looked at before the file's words"
        );
        assert_eq!(table.lookup("cÓ"), Word::Bool(true));
        assert_eq!(table.lookup("KHÔNG"), Word::Bool(false));
        assert_eq!(table.lookup("n/a"), Word::Missing);
        assert_eq!(table.lookup(""), Word::Bool(false), "no names the blank word");
        assert_eq!(table.lookup("07:30"), Word::Other);
        assert_eq!(table.lookup("Sở Nội vụ và các đơn vị trực thuộc"), Word::Other);
        let decomposed: String = "Không".nfd().collect();
        assert_eq!(table.lookup(&decomposed), Word::Bool(false));
        assert_eq!(WordTable::new(&[]).lookup(""), Word::Missing);
    }

    #[test]
    fn trim_leaves_solid_text_alone() {
        assert_eq!(trim("07:30"), "07:30");
        assert_eq!(trim(" 07:30\u{00A0}"), "07:30");
        assert_eq!(trim(""), "");
    }

    #[test]
    fn nfc_composes_what_is_decomposed_and_borrows_the_rest() {
        let decomposed: String = "Sở Nội vụ".nfd().collect();
        assert_eq!(nfc(&decomposed), "Sở Nội vụ");
        assert!(matches!(nfc("Sở Nội vụ"), Cow::Borrowed(_)));
        assert!(matches!(nfc("plain"), Cow::Borrowed(_)));
    }
}
