//! Checking NDJSON and CSV on several cores. A reader thread cuts the input
//! into chunks of whole records; workers check chunks with checkers of
//! their own, numbering records from 1; the calling thread puts the results
//! back in input order and numbers them on, so the output is the same, byte
//! for byte, as with one core.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::chunks::Piece;
use super::{check_reader, InputError, InputFormat, Records};
use crate::report::{Checker, RecordReport, Totals};

/// What a worker found in one chunk: how many records, and the reports of
/// those with findings (numbered within the chunk); and the chunk's buffer,
/// to be filled again.
struct Checked {
    index: u64,
    records: u64,
    totals: Totals,
    reports: Vec<RecordReport>,
    buffer: Option<Vec<u8>>,
}

/// Leave to read one more chunk, with the buffer of a chunk already
/// checked when there is one.
type Token = Option<Vec<u8>>;

/// [`check_reader`] on `jobs` threads (NDJSON and CSV; a `.json` document
/// and `jobs <= 1` are read on the calling thread). Reports reach `sink`
/// in input order, numbered as with one thread.
pub fn check_reader_parallel<R: Read + Send, E: From<InputError>>(
    input: R,
    format: InputFormat,
    checker: &mut Checker<'_>,
    jobs: usize,
    mut sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    if jobs <= 1 || format == InputFormat::Json {
        return check_reader(input, format, checker, sink);
    }
    let (mut chunker, records) = Records::open(input, format, checker)?;
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = sync_channel::<(u64, Piece)>(jobs);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = sync_channel::<Checked>(jobs);
        // A chunk may be read only with a token, and a token comes back, with
        // the chunk's buffer, when its results have been handed over:
        // however the threads are scheduled, memory holds a fixed number of
        // chunks, and their buffers are used again rather than freed.
        let in_flight = 2 * jobs + 1;
        let (token_tx, token_rx) = sync_channel::<Token>(in_flight);
        for _ in 0..in_flight {
            let _ = token_tx.send(None);
        }
        let reader = scope.spawn(move || -> Result<(), InputError> {
            let mut index = 0;
            // The workers stopped (the caller gave up) when a channel is shut.
            while let Ok(token) = token_rx.recv() {
                if let Some(buffer) = token {
                    chunker.recycle(buffer);
                }
                let Some(chunk) = chunker.next_chunk()? else {
                    break;
                };
                if work_tx.send((index, chunk)).is_err() {
                    break;
                }
                index += 1;
            }
            Ok(())
        });
        for mut local in (0..jobs).map(|_| checker.fresh()).collect::<Vec<_>>() {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            let records = &records;
            scope.spawn(move || {
                while let Some((index, chunk)) = next_work(&work_rx) {
                    let mut reports = Vec::new();
                    records.check_piece(&mut local, &chunk, &mut reports);
                    let (records, totals) = local.take_counts();
                    let checked = Checked {
                        index,
                        records,
                        totals,
                        reports,
                        buffer: match chunk {
                            Piece::Records(buffer) => Some(buffer),
                            Piece::Oversized => None,
                        },
                    };
                    if done_tx.send(checked).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let emitted = emit_in_order(done_rx, &token_tx, checker, &mut sink);
        drop(token_tx);
        let read = reader.join().unwrap_or(Ok(()));
        emitted?;
        read.map_err(E::from)
    })
}

fn next_work(queue: &Mutex<Receiver<(u64, Piece)>>) -> Option<(u64, Piece)> {
    // A poisoned lock means a worker panicked; the others stop too.
    queue.lock().ok()?.recv().ok()
}

fn emit_in_order<E>(
    done: Receiver<Checked>,
    tokens: &SyncSender<Token>,
    checker: &mut Checker<'_>,
    sink: &mut impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for checked in done {
        waiting.insert(checked.index, checked);
        while let Some(checked) = waiting.remove(&next) {
            let base = checker.records();
            for report in checked.reports {
                sink(Checker::renumber(report, base))?;
            }
            checker.absorb(checked.records, &checked.totals);
            let _ = tokens.send(checked.buffer);
            next += 1;
        }
    }
    Ok(())
}
