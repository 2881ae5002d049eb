//! The top-level keys of a file's first records, read apart from checking:
//! the names a "did you mean" offers for a field that no record held.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How many records' keys are looked at: a misspelt field is misspelt in
/// the rules, so the first records already show the key it should be.
pub(crate) const SAMPLED_RECORDS: usize = 20;

/// Adds the keys of the JSON object `line` (an NDJSON line) to `keys`.
pub(crate) fn line_keys(line: &[u8], keys: &mut Vec<String>) {
    let mut deserializer = serde_json::Deserializer::from_slice(line);
    let _ = KeysOf { keys, records: 1 }.deserialize(&mut deserializer);
}

/// The keys of the first records of a `.json` document (an array of
/// objects, or one object).
pub(crate) fn document_keys(text: &[u8]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let _ = KeysOf {
        keys: &mut keys,
        records: SAMPLED_RECORDS,
    }
    .deserialize(&mut deserializer);
    keys
}

/// Collects the keys of up to `records` objects: one, or the elements of
/// an array.
struct KeysOf<'k> {
    keys: &'k mut Vec<String>,
    records: usize,
}

impl KeysOf<'_> {
    fn add(&mut self, key: String) {
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeysOf<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeysOf<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or an array of them")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            self.add(key);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for _ in 0..self.records {
            let element = KeysOf {
                keys: &mut *self.keys,
                records: 1,
            };
            if seq.next_element_seed(Element(element))?.is_none() {
                return Ok(());
            }
        }
        // The rest is not looked at: stopping here ends the parse early.
        Err(de::Error::custom("sampled enough"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An element of the array: an object's keys count, anything else is skipped.
struct Element<'k>(KeysOf<'k>);

impl<'de> DeserializeSeed<'de> for Element<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_lines_and_documents() {
        let mut keys = Vec::new();
        line_keys(br#"{"badge_worn": true, "arrival": "07:30"}"#, &mut keys);
        line_keys(br#"{"badge_worn": false, "unit": "X"}"#, &mut keys);
        line_keys(b"not json", &mut keys);
        assert_eq!(keys, ["badge_worn", "arrival", "unit"]);
        let keys = document_keys(br#"[{"a": 1}, 5, {"b": {"c": 2}}]"#);
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(document_keys(br#"{"only": 1}"#), ["only"]);
    }
}
