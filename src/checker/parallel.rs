//! Checking NDJSON and CSV on several cores. Workers take turns to cut the
//! next chunk of whole records from the input, and check it with a checker
//! of their own, numbering records from 1; the calling thread puts the
//! results back in input order and numbers them on, so the output is the
//! same, byte for byte, as with one core.
//!
//! No thread exists only to read: a chunk handed from a reader to a worker
//! woke a thread, and so did the leave to read another; on two cores those
//! wake-ups cost a good part of what the second core gained. For the same
//! reason, records that are only counted are not handed over at all.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;

use super::input::check_piece;
use super::totals::Totals;
use super::Checker;
use crate::input::{Chunker, Fill, InputError, Piece, Records};
use crate::report::{Detail, RecordReport};

/// What a worker found in one chunk: how many records, and the reports of
/// those with findings (numbered within the chunk).
struct Checked {
    index: u64,
    /// Which worker made `reports`, to send the emptied list back to.
    worker: usize,
    records: u64,
    totals: Totals,
    reports: Vec<RecordReport>,
}

/// The input, shared by the workers: one cuts a chunk at a time.
struct Shared<R> {
    chunker: Chunker<R>,
    /// The index of the next chunk.
    next: u64,
    /// Leave to cut one more chunk: one comes back for each chunk whose
    /// results have been handed over, so however the threads are
    /// scheduled, no worker gets more than a few chunks ahead of the
    /// output, and memory holds a fixed number of them. `None` when
    /// records are only counted: then nothing is handed over per chunk,
    /// and a worker holds only the chunk it checks.
    leave: Option<Receiver<()>>,
    failed: Option<InputError>,
}

impl<R: Fill> Shared<R> {
    /// The next chunk and its index, the buffer of the one before given
    /// back; `None` at the end of the input, after a read failed, or once
    /// the calling thread has stopped.
    fn next(source: &Mutex<Shared<R>>, used: Option<Vec<u8>>) -> Option<(u64, Piece)> {
        // A poisoned lock means a worker panicked; the others stop too.
        let mut source = source.lock().ok()?;
        if let Some(buffer) = used {
            source.chunker.recycle(buffer);
        }
        if source.failed.is_some() || source.leave.as_ref().is_some_and(|leave| leave.recv().is_err()) {
            return None;
        }
        match source.chunker.next_chunk() {
            Ok(Some(piece)) => {
                let index = source.next;
                source.next += 1;
                Some((index, piece))
            }
            Ok(None) => None,
            Err(e) => {
                source.failed = Some(e.into());
                None
            }
        }
    }
}

/// Checks the chunks of an opened NDJSON or CSV input on `jobs` threads.
/// Reports reach `sink` in input order, numbered as with one thread.
pub(crate) fn check_chunks_parallel<R: Fill + Send, E: From<InputError>>(
    chunker: Chunker<R>,
    records: Records,
    checker: &mut Checker<'_>,
    jobs: usize,
    mut sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    // Counting only, no record has a report: each worker adds up its own
    // chunks, and the calling thread adds up the workers at the end,
    // woken once, not once a chunk.
    // Group rules' states are merged in input order, part after part, and
    // so are the `--by` tables (their values in order of first
    // appearance): then even a count hands each part's totals over as it
    // is done.
    let counting = checker.detail() == Detail::Totals
        && !checker.program().has_group_rules()
        && checker.by_fields().next().is_none();
    let in_flight = 2 * jobs + 1;
    let (leave_tx, leave) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = leave_tx.send(());
    }
    let source = Mutex::new(Shared {
        chunker,
        next: 0,
        leave: (!counting).then_some(leave),
        failed: None,
    });
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = sync_channel::<Checked>(jobs);
        let mut returns = Vec::with_capacity(jobs);
        let mut workers = Vec::with_capacity(jobs);
        for (worker, mut local) in (0..jobs).map(|_| checker.fresh()).enumerate() {
            let (return_tx, mut lists) = Lists::new();
            returns.push(return_tx);
            let done_tx = done_tx.clone();
            let (records, source) = (&records, &source);
            workers.push(scope.spawn(move || {
                let mut used = None;
                // Waits before taking a chunk, never while holding one: every
                // chunk taken is checked and handed over, so the lists of the
                // earlier ones come back.
                while lists.wait_for_room() {
                    let Some((index, chunk)) = Shared::next(source, used.take()) else {
                        break;
                    };
                    let mut reports = lists.take();
                    check_piece(records, &mut local, &chunk, &mut reports);
                    // The reports own what they show: the chunk can be cut
                    // again at once.
                    if let Piece::Records(buffer) = chunk {
                        used = Some(buffer);
                    }
                    // Counting, no record has findings, so no report was
                    // kept, and nothing goes out.
                    if counting {
                        continue;
                    }
                    lists.lend(&reports);
                    let (records, totals) = local.take_counts();
                    let checked = Checked {
                        index,
                        worker,
                        records,
                        totals,
                        reports,
                    };
                    if done_tx.send(checked).is_err() {
                        break;
                    }
                }
                local.take_counts()
            }));
        }
        drop(done_tx);
        let emitted = emit_in_order(done_rx, &leave_tx, &returns, checker, &mut sink);
        // If the sink gave up, workers waiting for leave or their lists stop.
        drop(returns);
        drop(leave_tx);
        for worker in workers {
            // What a worker counted without handing it over (when counting
            // only). A worker's panic is a bug, and goes on as one would on
            // one thread.
            match worker.join() {
                Ok((records, totals)) => checker.absorb(records, totals),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        emitted
    })?;
    let failed = source.into_inner().ok().and_then(|source| source.failed);
    failed.map_or(Ok(()), |e| Err(E::from(e)))
}

/// How many chunks' reports one worker may have out with the calling
/// thread (not yet handed to the sink). Each thread allocates from a glibc
/// arena of its own, which keeps the pages it has once used, for that thread
/// alone. Bounded only by the chunks in flight, a worker could get nearly
/// all of them ahead of a slower one; the longer the input, the likelier
/// each worker had at some time done so, and memory grew with the input.
const REPORTS_OUT: usize = 2;

/// A worker's lists of reports: those out with the calling thread, and
/// those back, emptied, to be filled again. A list that never held a report
/// (the summary builds none) has no memory: it is not sent back, and does
/// not count, so it holds no worker back.
struct Lists {
    back: Receiver<Vec<RecordReport>>,
    out: usize,
    spare: Vec<Vec<RecordReport>>,
}

impl Lists {
    /// Lists for a new worker, and where to send them back.
    fn new() -> (SyncSender<Vec<RecordReport>>, Lists) {
        // With at most `REPORTS_OUT` out, sending back never finds it full.
        let (tx, back) = sync_channel(REPORTS_OUT);
        let lists = Lists {
            back,
            out: 0,
            spare: Vec::new(),
        };
        (tx, lists)
    }

    fn take_back(&mut self, used: Vec<RecordReport>) {
        self.spare.push(used);
        self.out -= 1;
    }

    /// Waits until fewer than `REPORTS_OUT` lists are out; false if the
    /// calling thread has stopped handing them back.
    fn wait_for_room(&mut self) -> bool {
        while self.out >= REPORTS_OUT {
            match self.back.recv() {
                Ok(used) => self.take_back(used),
                Err(_) => return false,
            }
        }
        true
    }

    /// A list for the next chunk's reports.
    fn take(&mut self) -> Vec<RecordReport> {
        while let Ok(used) = self.back.try_recv() {
            self.take_back(used);
        }
        self.spare.pop().unwrap_or_default()
    }

    /// `reports` go to the calling thread.
    fn lend(&mut self, reports: &Vec<RecordReport>) {
        if comes_back(reports) {
            self.out += 1;
        }
    }
}

fn comes_back(reports: &Vec<RecordReport>) -> bool {
    reports.capacity() > 0
}

fn emit_in_order<E>(
    done: Receiver<Checked>,
    leave: &SyncSender<()>,
    returns: &[SyncSender<Vec<RecordReport>>],
    checker: &mut Checker<'_>,
    sink: &mut impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for checked in done {
        waiting.insert(checked.index, checked);
        while let Some(mut checked) = waiting.remove(&next) {
            let base = checker.records();
            for report in checked.reports.drain(..) {
                sink(Checker::renumber(report, base))?;
            }
            checker.absorb(checked.records, std::mem::take(&mut checked.totals));
            let _ = leave.send(());
            // The channel has room for all of a worker's lists, so this does
            // not fail while the worker runs; once it has stopped (no input
            // left), they are dropped here.
            if let Some(worker) = returns
                .get(checked.worker)
                .filter(|_| comes_back(&checked.reports))
            {
                let _ = worker.try_send(checked.reports);
            }
            next += 1;
        }
    }
    Ok(())
}
