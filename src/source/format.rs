//! A column's `format "…"`: the strftime directives of contract §8, read by
//! jiff's `strtime`, and what they can give (a date, a time, or both).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::civil::{Date, Time};
use jiff::fmt::strtime::BrokenDownTime;

/// The directives a format may use.
const DIRECTIVES: &str = "%d %m %Y %y %H %M %S %I %p %%";

/// A checked format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Format {
    /// As written, for jiff and for messages.
    pub text: String,
    /// It has a day, a month and a year.
    pub date: bool,
    /// It has an hour.
    pub time: bool,
    /// It has `%p`, which also reads the Vietnamese `SA` and `CH`.
    meridiem: bool,
    /// Names this format in the memo of values read (see [`Memo`]); no
    /// two formats ever made have the same.
    id: u64,
}

/// What a format made of a value.
type Parts = Option<(Option<Date>, Option<Time>)>;

impl Format {
    /// Checks `text`; the error says what is wrong with it.
    pub fn new(text: &str) -> Result<Format, String> {
        let mut seen = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                continue;
            }
            match chars.next() {
                Some(d @ ('d' | 'm' | 'Y' | 'y' | 'H' | 'M' | 'S' | 'I' | 'p')) => seen.push(d),
                Some('%') => {}
                Some(other) => {
                    let hint = [other.to_ascii_lowercase(), other.to_ascii_uppercase()]
                        .into_iter()
                        .find(|c| *c != other && "dmYyHMSIp".contains(*c))
                        .map(|c| format!(": did you mean `%{c}`?"))
                        .unwrap_or_default();
                    return Err(format!(
                        "`%{other}` is not a directive a format may use ({DIRECTIVES}){hint}"
                    ));
                }
                None => return Err(format!("the format ends with a lone `%` (write `%%` for a percent sign; directives: {DIRECTIVES})")),
            }
        }
        let has = |d: char| seen.contains(&d);
        for d in &seen {
            if seen.iter().filter(|s| *s == d).count() > 1 {
                return Err(format!("`%{d}` appears twice in the format"));
            }
        }
        let date_parts = ['d', 'm', 'Y', 'y'].iter().filter(|d| has(**d)).count();
        let date = has('d') && has('m') && (has('Y') || has('y'));
        if date_parts > 0 && !date {
            return Err("a date needs a day, a month and a year (`%d`, `%m` and `%Y` or `%y`)".into());
        }
        if has('Y') && has('y') {
            return Err("the format has both `%Y` and `%y`".into());
        }
        if has('H') && has('I') {
            return Err("the format has both `%H` and `%I`".into());
        }
        if has('I') != has('p') {
            return Err("`%I` (a 12-hour clock) and `%p` (AM/PM, SA/CH) go together".into());
        }
        let time = has('H') || has('I');
        if !time && (has('M') || has('S')) {
            return Err("a time needs an hour (`%H`, or `%I` with `%p`)".into());
        }
        if has('S') && !has('M') {
            return Err("seconds (`%S`) need minutes (`%M`)".into());
        }
        if !date && !time {
            return Err(format!(
                "the format reads neither a date nor a time (directives: {DIRECTIVES})"
            ));
        }
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Ok(Format {
            text: text.to_string(),
            date,
            time,
            meridiem: has('p'),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Reads `input` (already trimmed): the date and the time it holds, as
    /// far as the format has them; `None` when it does not match.
    pub fn read(&self, input: &str) -> Parts {
        // An export repeats its dates and times (one day's date on every
        // row, arrivals to the minute): a value read once is remembered.
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some(parts) = memo.get(self.id, input) {
                return parts;
            }
            let parts = self.parse(input);
            memo.put(self.id, input, parts);
            parts
        })
    }

    fn parse(&self, input: &str) -> Parts {
        let input = if self.meridiem {
            vietnamese_meridiem(input)
        } else {
            Cow::Borrowed(input)
        };
        let parsed = BrokenDownTime::parse(&self.text, input.as_bytes()).ok()?;
        let date = if self.date {
            Some(parsed.to_date().ok()?)
        } else {
            None
        };
        let time = if self.time {
            Some(parsed.to_time().ok()?)
        } else {
            None
        };
        Some((date, time))
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The values formats read last, by format and text: a direct-mapped
/// table, so a lookup is a hash and one comparison, and memory is fixed.
/// Reading is a pure function of the two, so what is found is what
/// reading again would give.
struct Memo {
    slots: Vec<Remembered>,
}

/// A text of up to 16 bytes, as two words and its length, with what a
/// format made of it. Format 0 is no format: an empty slot.
#[derive(Clone, Copy, Default)]
struct Remembered {
    format: u64,
    words: [u64; 2],
    len: usize,
    parts: Parts,
}

const MEMO_SLOTS: usize = 1024;
/// Longer texts are read every time (dates, times and a date with a time
/// are shorter).
const MEMO_TEXT: usize = 16;

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            slots: vec![Remembered::default(); MEMO_SLOTS],
        }
    }
}

impl Memo {
    /// The text as two words, if it is short enough to remember.
    fn words(text: &str) -> Option<[u64; 2]> {
        let bytes = text.as_bytes();
        if bytes.len() > MEMO_TEXT {
            return None;
        }
        let mut padded = [0u8; MEMO_TEXT];
        padded[..bytes.len()].copy_from_slice(bytes);
        let (low, high) = padded.split_at(8);
        Some([
            u64::from_le_bytes(low.try_into().ok()?),
            u64::from_le_bytes(high.try_into().ok()?),
        ])
    }

    fn slot(format: u64, words: [u64; 2], len: usize) -> usize {
        let mixed = (words[0] ^ words[1].rotate_left(29) ^ format.rotate_left(47) ^ len as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> 54) as usize % MEMO_SLOTS
    }

    fn get(&self, format: u64, text: &str) -> Option<Parts> {
        let words = Memo::words(text)?;
        let found = &self.slots[Memo::slot(format, words, text.len())];
        (found.format == format && found.words == words && found.len == text.len()).then_some(found.parts)
    }

    fn put(&mut self, format: u64, text: &str, parts: Parts) {
        if let Some(words) = Memo::words(text) {
            self.slots[Memo::slot(format, words, text.len())] = Remembered {
                format,
                words,
                len: text.len(),
                parts,
            };
        }
    }
}

/// `SA` (sáng, morning) and `CH` (chiều, afternoon) as jiff's `AM` and
/// `PM`, in any case, where they stand as a word of their own.
fn vietnamese_meridiem(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    for at in 0..bytes.len().saturating_sub(1) {
        let word = [bytes[at].to_ascii_lowercase(), bytes[at + 1].to_ascii_lowercase()];
        let replacement = match &word {
            b"sa" => "AM",
            b"ch" => "PM",
            _ => continue,
        };
        let alone_before = at == 0 || !bytes[at - 1].is_ascii_alphabetic();
        let alone_after = bytes.get(at + 2).is_none_or(|b| !b.is_ascii_alphabetic());
        if alone_before && alone_after {
            return Cow::Owned(format!("{}{replacement}{}", &input[..at], &input[at + 2..]));
        }
    }
    Cow::Borrowed(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Option<Date> {
        Date::new(y, m, d).ok()
    }

    fn time(h: i8, m: i8, s: i8) -> Option<Time> {
        Time::new(h, m, s, 0).ok()
    }

    #[test]
    fn a_vietnamese_date_reads_day_first() {
        let f = Format::new("%d/%m/%Y").unwrap();
        assert!(f.date && !f.time);
        assert_eq!(f.read("09/02/2022"), Some((date(2022, 2, 9), None)));
        assert_eq!(f.read("9/2/2022"), Some((date(2022, 2, 9), None)));
        assert_eq!(f.read("31/02/2022"), None);
        assert_eq!(f.read("2022-02-09"), None);
        assert_eq!(f.read("09/02/2022 extra"), None);
    }

    #[test]
    fn a_twelve_hour_clock_reads_am_pm_and_sa_ch() {
        let f = Format::new("%I:%M %p").unwrap();
        assert_eq!(f.read("07:45 AM"), Some((None, time(7, 45, 0))));
        assert_eq!(f.read("05:10 pm"), Some((None, time(17, 10, 0))));
        assert_eq!(f.read("07:45 SA"), Some((None, time(7, 45, 0))));
        assert_eq!(f.read("05:10 ch"), Some((None, time(17, 10, 0))));
        assert_eq!(f.read("05:10"), None);
    }

    #[test]
    fn a_date_and_time_in_one_column_give_both() {
        let f = Format::new("%d/%m/%Y %H:%M").unwrap();
        assert!(f.date && f.time);
        assert_eq!(
            f.read("09/02/2022 07:42"),
            Some((date(2022, 2, 9), time(7, 42, 0)))
        );
    }

    #[test]
    fn a_remembered_value_is_the_value_read_and_formats_do_not_share_memories() {
        let day_first = Format::new("%d/%m/%Y").unwrap();
        let month_first = Format::new("%m/%d/%Y").unwrap();
        for _ in 0..3 {
            assert_eq!(day_first.read("09/02/2022"), Some((date(2022, 2, 9), None)));
            assert_eq!(month_first.read("09/02/2022"), Some((date(2022, 9, 2), None)));
            assert_eq!(day_first.read("31/02/2022"), None);
        }
        let long = "09/02/2022       ";
        assert_eq!(day_first.read(long), None);
        assert_eq!(day_first.read(long), None);
    }

    #[test]
    fn formats_that_cannot_give_a_date_or_a_time_are_refused() {
        for (format, says) in [
            ("%m/%Y", "a date needs a day"),
            ("%M:%S", "a time needs an hour"),
            ("%d/%m/%Y %j", "`%j` is not a directive"),
            ("%D", "did you mean `%d`?"),
            ("%I:%M", "go together"),
            ("%H:%S", "seconds"),
            ("%d/%m/%Y/%d", "twice"),
            ("gio", "neither a date nor a time"),
            ("%H%", "lone `%`"),
        ] {
            let error = Format::new(format).unwrap_err();
            assert!(error.contains(says), "{format}: {error}");
        }
        assert!(Format::new("%H giờ %M, %% %d/%m/%y").is_ok());
    }
}
