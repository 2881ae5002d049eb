//! Cutting NDJSON and CSV input into chunks that end at record
//! boundaries, so that chunks can be checked apart (and in parallel) while
//! records keep their order and memory stays bounded.

use std::io::{self, Read};

/// About how many bytes a chunk holds; a record longer than this makes its
/// chunk longer. Small enough that a chunk is still in the caches when a
/// worker reads what the reader thread wrote (256 KiB checked 10% faster on
/// two threads than 1 MiB), large enough that handing chunks over costs
/// nothing that shows.
pub const CHUNK_BYTES: usize = 1 << 18;

/// How many spare buffers a chunker keeps; more than the chunks a parallel
/// check holds in flight on any machine it is likely to meet.
const MAX_SPARE: usize = 64;

/// Where records may end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// Every newline ends a record (NDJSON).
    Newline,
    /// A line end (`\n` or `\r`) outside a quoted CSV cell ends a record
    /// (see [`Csv`]).
    CsvNewline,
}

/// What the chunker hands out.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// Whole records, the last one maybe without its newline at the end of
    /// input.
    Records(Vec<u8>),
    /// One record longer than the limit, skipped unread.
    Oversized,
}

/// An input that a [`Chunker`] reads: up to `want` bytes onto the end of
/// `buffer`, as `take(want).read_to_end(buffer)` does.
///
/// An input whose `Read` lacks `read_buf` (a wrapper such as
/// [`Decoded`](super::decode::Decoded)) is read through `read` into
/// zeroed memory: every byte of the input written twice. A wrapper
/// forwards `fill` to what it wraps, whose `read_buf` reads into the
/// buffer's spare capacity as it is.
pub trait Fill: Read {
    /// Appends up to `want` bytes to `buffer`; 0 at the end of input.
    fn fill(&mut self, want: usize, buffer: &mut Vec<u8>) -> io::Result<usize> {
        Read::take(&mut *self, want as u64).read_to_end(buffer)
    }
}

impl Fill for &[u8] {}

/// Reads `input` and cuts it into chunks of whole records.
pub struct Chunker<R> {
    input: R,
    boundary: Boundary,
    max_record: usize,
    /// Bytes read but not yet handed out (a partial record).
    carry: Vec<u8>,
    done: bool,
    /// Buffers of chunks already checked, to be filled again (see
    /// [`Chunker::recycle`]).
    spare: Vec<Vec<u8>>,
    /// An over-long record was taken out and put back (see
    /// [`Chunker::push_oversized`]): it comes out first.
    oversized_first: bool,
}

impl<R: Fill> Chunker<R> {
    /// A chunker whose records may be up to `max_record` bytes long.
    pub fn new(input: R, boundary: Boundary, max_record: usize) -> Chunker<R> {
        Chunker {
            input,
            boundary,
            max_record,
            carry: Vec::new(),
            done: false,
            spare: Vec::new(),
            oversized_first: false,
        }
    }

    /// Puts back an over-long record that [`Chunker::next_chunk`] handed
    /// out: it comes out again, as [`Piece::Oversized`], before the rest.
    pub fn push_oversized(&mut self) {
        self.oversized_first = true;
    }

    /// Takes back the buffer of a chunk that has been checked. A chunker
    /// that gets its buffers back allocates none in a steady stream, which
    /// keeps memory flat: fresh chunk-sized buffers, freed on other threads
    /// than the one that made them, make the allocator's footprint grow
    /// with the input.
    pub fn recycle(&mut self, mut buffer: Vec<u8>) {
        // A buffer grown by a long record is let go, not kept.
        if self.spare.len() < MAX_SPARE && buffer.capacity() <= 2 * CHUNK_BYTES {
            buffer.clear();
            self.spare.push(buffer);
        }
    }

    /// An empty buffer large enough for a chunk and the partial record
    /// before it.
    fn fresh_buffer(&mut self) -> Vec<u8> {
        self.spare
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(2 * CHUNK_BYTES))
    }

    /// Puts bytes back in front of what is still to be handed out.
    pub fn push_front(&mut self, mut bytes: Vec<u8>) {
        bytes.append(&mut self.carry);
        self.carry = bytes;
    }

    /// The next piece, `None` at the end. Memory stays within about a chunk
    /// and the record limit, whatever the input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Piece>> {
        if std::mem::take(&mut self.oversized_first) {
            return Ok(Some(Piece::Oversized));
        }
        let mut chunk = std::mem::take(&mut self.carry);
        loop {
            match last_boundary(&chunk, self.boundary) {
                Some(end) if chunk.len() >= CHUNK_BYTES || self.done => {
                    let mut rest = self.fresh_buffer();
                    rest.extend_from_slice(&chunk[end..]);
                    chunk.truncate(end);
                    self.carry = rest;
                    return Ok(Some(Piece::Records(chunk)));
                }
                None if chunk.len() > self.max_record => return self.skip_record(chunk).map(Some),
                _ => {}
            }
            if self.done {
                return Ok((!chunk.is_empty()).then_some(Piece::Records(chunk)));
            }
            // A chunk grows by half at least, so a long record costs
            // a few rescans, not one per read.
            let want = CHUNK_BYTES.max(chunk.len() / 2).min(self.max_record + 1);
            let n = self.input.fill(want, &mut chunk)?;
            if n == 0 {
                self.done = true;
            }
        }
    }

    /// Reads on to the end of an over-long record (`start` is its beginning)
    /// and drops it, keeping what follows.
    fn skip_record(&mut self, start: Vec<u8>) -> io::Result<Piece> {
        let mut csv = Csv::default();
        for &b in &start {
            csv.step(b);
        }
        // An NDJSON line of only whitespace is blank, not a record, however
        // long it is.
        let mut blank = self.boundary == Boundary::Newline && start.iter().all(u8::is_ascii_whitespace);
        let skipped = |blank: bool| {
            if blank {
                Piece::Records(Vec::new())
            } else {
                Piece::Oversized
            }
        };
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = self.input.read(&mut buffer)?;
            if n == 0 {
                self.done = true;
                return Ok(skipped(blank));
            }
            for (i, &b) in buffer[..n].iter().enumerate() {
                let ends = match self.boundary {
                    Boundary::Newline => b == b'\n',
                    Boundary::CsvNewline => csv.step(b),
                };
                if ends {
                    self.carry = buffer[i + 1..n].to_vec();
                    return Ok(skipped(blank));
                }
                blank = blank && b.is_ascii_whitespace();
            }
        }
    }
}

/// Where a scan of CSV stands, read as the csv crate reads it: a quote
/// opens a quoted cell only at the start of a cell (elsewhere it is text);
/// in a quoted cell `""` is a quote and a lone `"` closes the cell. Quote
/// parity is not enough: `5" screen,"a⏎b"` has a newline inside a cell
/// after an even number of quotes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Csv {
    #[default]
    CellStart,
    Unquoted,
    Quoted,
    /// A quote seen in a quoted cell: its end, or the first of `""`.
    QuoteInQuoted,
}

impl Csv {
    /// Moves past `b`; true when `b` ends a record: `\n`, or `\r` (alone
    /// or before `\n`), outside a quoted cell.
    fn step(&mut self, b: u8) -> bool {
        let (next, ends) = match (*self, b) {
            (Csv::Quoted, b'"') => (Csv::QuoteInQuoted, false),
            (Csv::Quoted, _) => (Csv::Quoted, false),
            (Csv::QuoteInQuoted, b'"') | (Csv::CellStart, b'"') => (Csv::Quoted, false),
            (_, b'\n' | b'\r') => (Csv::CellStart, true),
            (_, b',') => (Csv::CellStart, false),
            _ => (Csv::Unquoted, false),
        };
        *self = next;
        ends
    }
}

/// The end (just past the newline) of the last whole record in `bytes`.
fn last_boundary(bytes: &[u8], boundary: Boundary) -> Option<usize> {
    match boundary {
        Boundary::Newline => memchr::memrchr(b'\n', bytes).map(|i| i + 1),
        Boundary::CsvNewline => last_csv_boundary(bytes),
    }
}

/// [`last_boundary`] for CSV that `bytes` starts at a record's start: what
/// [`Csv::step`] finds byte by byte, found by jumping from one byte that
/// matters to the next. Outside quotes only line ends and quotes matter (a
/// quote opens a cell when it starts one, after a comma or a line end);
/// inside quotes only the next quote does.
fn last_csv_boundary(bytes: &[u8]) -> Option<usize> {
    // Most exports quote nothing: then every line end is a boundary, and one
    // pass for a quote costs less than a jump to every line end. The
    // workers cut chunks one at a time, so this is time the second core
    // waits for.
    if memchr::memchr(b'"', bytes).is_none() {
        return memchr::memrchr2(b'\n', b'\r', bytes).map(|i| i + 1);
    }
    let mut last = None;
    let mut at = 0;
    while at < bytes.len() {
        let Some(found) = memchr::memchr3(b'"', b'\n', b'\r', &bytes[at..]) else {
            break;
        };
        let i = at + found;
        at = i + 1;
        if bytes[i] != b'"' {
            last = Some(i + 1);
            continue;
        }
        let starts_cell = i == 0 || matches!(bytes[i - 1], b',' | b'\n' | b'\r');
        if !starts_cell {
            continue; // a quote inside an unquoted cell is text
        }
        // A quoted cell: it ends at a quote that is not the first of `""`.
        loop {
            let Some(found) = memchr::memchr(b'"', &bytes[at..]) else {
                return last;
            };
            let quote = at + found;
            if bytes.get(quote + 1) == Some(&b'"') {
                at = quote + 2;
            } else {
                at = quote + 1;
                break;
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(input: &[u8], boundary: Boundary, max_record: usize) -> Vec<Piece> {
        let mut chunker = Chunker::new(input, boundary, max_record);
        let mut out = Vec::new();
        while let Some(piece) = chunker.next_chunk().unwrap() {
            out.push(piece);
        }
        out
    }

    fn chunks(input: &[u8], boundary: Boundary) -> Vec<Vec<u8>> {
        pieces(input, boundary, usize::MAX / 2)
            .into_iter()
            .map(|p| match p {
                Piece::Records(bytes) => bytes,
                Piece::Oversized => panic!("no record is over the limit here"),
            })
            .collect()
    }

    /// The byte-by-byte definition that [`last_csv_boundary`] must agree
    /// with.
    fn last_csv_boundary_by_steps(bytes: &[u8]) -> Option<usize> {
        let mut csv = Csv::default();
        let mut last = None;
        for (i, &b) in bytes.iter().enumerate() {
            if csv.step(b) {
                last = Some(i + 1);
            }
        }
        last
    }

    proptest::proptest! {
        #[test]
        fn csv_boundaries_found_by_jumps_are_those_found_by_steps(
            bytes in proptest::collection::vec(proptest::sample::select(b"\"\"\",\n\rab".to_vec()), 0..64)
        ) {
            proptest::prop_assert_eq!(last_csv_boundary(&bytes), last_csv_boundary_by_steps(&bytes));
        }

        #[test]
        fn csv_boundaries_without_quotes_are_those_found_by_steps(
            bytes in proptest::collection::vec(proptest::sample::select(b",\n\rab".to_vec()), 0..300)
        ) {
            proptest::prop_assert_eq!(last_csv_boundary(&bytes), last_csv_boundary_by_steps(&bytes));
        }
    }

    #[test]
    fn csv_boundaries_in_quoted_cells_and_escapes() {
        for text in [
            &b"a,\"x\ny\"\nb"[..],
            b"\"\"\"\n\"\n",
            b"a\"\nb",
            b"\"a\"\"\n\"",
            b"\"a\"\r\nb,\"",
            b"\"",
            b"\"\"",
            b"x,\"\"\n",
        ] {
            assert_eq!(
                last_csv_boundary(text),
                last_csv_boundary_by_steps(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn an_over_long_record_is_skipped_and_the_rest_kept() {
        let mut input = b"{\"a\": 1}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 5 * CHUNK_BYTES));
        input.extend(b"\n{\"a\": 2}\n");
        let got = pieces(&input, Boundary::Newline, 1000);
        assert_eq!(
            got,
            [
                Piece::Records(b"{\"a\": 1}\n".to_vec()),
                Piece::Oversized,
                Piece::Records(b"{\"a\": 2}\n".to_vec())
            ]
        );
    }

    #[test]
    fn an_over_long_quoted_csv_cell_is_one_record() {
        let mut input = b"1,\"".to_vec();
        input.extend(std::iter::repeat_n(b'\n', 3000));
        input.extend(b"\"\n2,x\n");
        let got = pieces(&input, Boundary::CsvNewline, 1000);
        assert_eq!(got, [Piece::Oversized, Piece::Records(b"2,x\n".to_vec())]);
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
    fn recycled_buffers_are_filled_again_and_every_byte_kept() {
        let line = b"{\"a\": 1}\n";
        let input: Vec<u8> = line.iter().copied().cycle().take(line.len() * 500_000).collect();
        let mut chunker = Chunker::new(&input[..], Boundary::Newline, 1000);
        let mut seen = Vec::new();
        let mut given_back = Vec::new();
        let mut reused = 0;
        while let Some(Piece::Records(chunk)) = chunker.next_chunk().unwrap() {
            reused += usize::from(given_back.contains(&chunk.as_ptr()));
            seen.extend_from_slice(&chunk);
            given_back.push(chunk.as_ptr());
            chunker.recycle(chunk);
        }
        assert_eq!(seen, input);
        assert!(given_back.len() > 3);
        assert!(
            reused >= given_back.len() - 2,
            "{reused} of {} chunks reused a buffer",
            given_back.len()
        );
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
