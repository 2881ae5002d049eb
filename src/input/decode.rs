//! CSV text in another encoding than UTF-8 (contract §8: `encoding`
//! "utf-16" or "windows-1258", and a UTF-16 byte-order mark recognised
//! without it), transcoded to UTF-8 as it streams, by encoding_rs.

use std::io::{self, Chain, Cursor, Read};

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use crate::source::Encoding;

type Peeked<R> = Chain<Cursor<Vec<u8>>, R>;

/// A CSV input, as UTF-8.
pub(crate) enum Decoded<R> {
    Utf8(Peeked<R>),
    Transcoded(DecodeReaderBytes<Peeked<R>, Vec<u8>>),
}

impl<R: Read> Decoded<R> {
    /// `input` read as UTF-8: as it is when it is, else transcoded from
    /// `encoding` (a byte-order mark, UTF-8 or UTF-16, decides over it).
    pub fn new(mut input: R, encoding: Encoding) -> io::Result<Decoded<R>> {
        let mut head = Vec::with_capacity(2);
        (&mut input).take(2).read_to_end(&mut head)?;
        let utf16_bom = matches!(head.as_slice(), [0xFF, 0xFE] | [0xFE, 0xFF]);
        let peeked = Cursor::new(head).chain(input);
        let transcode = |label: Option<&'static encoding_rs::Encoding>, peeked| {
            Decoded::Transcoded(
                DecodeReaderBytesBuilder::new()
                    .encoding(label)
                    .bom_sniffing(true)
                    .strip_bom(true)
                    .build(peeked),
            )
        };
        Ok(match (encoding, utf16_bom) {
            (Encoding::Utf8, false) => Decoded::Utf8(peeked),
            (Encoding::Utf8, true) => transcode(None, peeked),
            (Encoding::Utf16, _) => transcode(Some(encoding_rs::UTF_16LE), peeked),
            (Encoding::Windows1258, _) => transcode(Some(encoding_rs::WINDOWS_1258), peeked),
        })
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Utf8(input) => input.read(buf),
            Decoded::Transcoded(input) => input.read(buf),
        }
    }
}

impl<R: Read> super::chunks::Fill for Decoded<R> {
    fn fill(&mut self, want: usize, buffer: &mut Vec<u8>) -> io::Result<usize> {
        let want = want as u64;
        match self {
            Decoded::Utf8(input) => input.take(want).read_to_end(buffer),
            Decoded::Transcoded(input) => input.take(want).read_to_end(buffer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], encoding: Encoding) -> String {
        let mut out = String::new();
        Decoded::new(bytes, encoding)
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn utf8_passes_through_and_utf16_is_transcoded() {
        assert_eq!(decoded("Mã NV\n".as_bytes(), Encoding::Utf8), "Mã NV\n");
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend("Mã NV\n".encode_utf16().flat_map(u16::to_le_bytes));
        // A byte-order mark is recognised without `encoding`.
        assert_eq!(decoded(&utf16, Encoding::Utf8), "Mã NV\n");
        assert_eq!(decoded(&utf16, Encoding::Utf16), "Mã NV\n");
        let no_bom: Vec<u8> = "Mã\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decoded(&no_bom, Encoding::Utf16), "Mã\n");
    }

    #[test]
    fn windows_1258_keeps_its_combining_tone_marks_until_nfc() {
        // "Có" in windows-1258: C, o with acute as o + combining acute (0xEC).
        let bytes = [b'C', b'o', 0xEC, b'\n'];
        let text = decoded(&bytes, Encoding::Windows1258);
        assert_eq!(text, "Co\u{301}\n");
        assert_eq!(crate::source::nfc(&text), "Có\n");
    }
}
