//! Cutting NDJSON and CSV input into chunks that end at record
//! boundaries, so that chunks can be checked apart (and in parallel) while
//! records keep their order and memory stays bounded.

use std::io::{self, Read};

/// About how many bytes a chunk holds; a record longer than this makes its
/// chunk longer.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Where records may end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// Every newline ends a record (NDJSON).
    Newline,
    /// A newline ends a record outside a quoted CSV cell; a quote inside a
    /// quoted cell is doubled, so parity tells which side we are on.
    CsvNewline,
}

/// Reads `input` and cuts it into chunks of whole records.
pub struct Chunker<R> {
    input: R,
    boundary: Boundary,
    /// Bytes read but not yet handed out (a partial record).
    carry: Vec<u8>,
    done: bool,
}

impl<R: Read> Chunker<R> {
    pub fn new(input: R, boundary: Boundary) -> Chunker<R> {
        Chunker {
            input,
            boundary,
            carry: Vec::new(),
            done: false,
        }
    }

    /// Puts bytes back in front of what is still to be handed out.
    pub fn push_front(&mut self, mut bytes: Vec<u8>) {
        bytes.append(&mut self.carry);
        self.carry = bytes;
    }

    /// The next chunk: whole records, the last one maybe without its
    /// newline at the end of input. `None` at the end.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut chunk = std::mem::take(&mut self.carry);
        loop {
            if let Some(end) = last_boundary(&chunk, self.boundary) {
                if chunk.len() >= CHUNK_BYTES || self.done {
                    self.carry = chunk.split_off(end);
                    return Ok(Some(chunk));
                }
            }
            if self.done {
                return Ok((!chunk.is_empty()).then_some(chunk));
            }
            // A chunk grows by half at least, so a long record costs
            // a few rescans, not one per read.
            let want = CHUNK_BYTES.max(chunk.len() / 2);
            let n = (&mut self.input).take(want as u64).read_to_end(&mut chunk)?;
            if n == 0 {
                self.done = true;
            }
        }
    }
}

/// The end (just past the newline) of the last whole record in `bytes`.
fn last_boundary(bytes: &[u8], boundary: Boundary) -> Option<usize> {
    match boundary {
        Boundary::Newline => memchr::memrchr(b'\n', bytes).map(|i| i + 1),
        Boundary::CsvNewline => {
            let mut in_quotes = false;
            let mut last = None;
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'"' => in_quotes = !in_quotes,
                    b'\n' if !in_quotes => last = Some(i + 1),
                    _ => {}
                }
            }
            last
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &[u8], boundary: Boundary) -> Vec<Vec<u8>> {
        let mut chunker = Chunker::new(input, boundary);
        let mut out = Vec::new();
        while let Some(c) = chunker.next_chunk().unwrap() {
            out.push(c);
        }
        out
    }

    #[test]
    fn chunks_end_at_newlines_and_keep_every_byte() {
        let line = b"{\"a\": 1}\n";
        let input: Vec<u8> = line.iter().copied().cycle().take(line.len() * 300_000).collect();
        let parts = chunks(&input, Boundary::Newline);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.ends_with(b"\n")));
        assert_eq!(parts.concat(), input);
    }

    #[test]
    fn the_last_record_may_lack_its_newline() {
        assert_eq!(chunks(b"a\nb", Boundary::Newline).concat(), b"a\nb");
        assert!(chunks(b"", Boundary::Newline).is_empty());
    }

    #[test]
    fn csv_newlines_inside_quotes_do_not_cut() {
        let row = b"1,\"line one\nline \"\"two\"\"\",x\n";
        let input: Vec<u8> = row.iter().copied().cycle().take(row.len() * 100_000).collect();
        let parts = chunks(&input, Boundary::CsvNewline);
        assert!(parts.len() > 1);
        for part in &parts {
            assert_eq!(part.len() % row.len(), 0, "a chunk cut a row");
        }
        assert_eq!(parts.concat(), input);
    }
}
