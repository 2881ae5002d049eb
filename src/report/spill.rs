//! Lines kept aside for the end of a report (error entries that come
//! after the violations, a table's rows that wait for their columns'
//! widths): in memory up to a bound, then in a temporary file, so that a
//! report's memory does not grow with the input.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// Lines (without their `\n`), in memory up to [`Spill::IN_MEMORY`] bytes,
/// then in a file of the system's temporary folder removed when the spill
/// is dropped.
#[derive(Default)]
pub(crate) struct Spill {
    buffer: Vec<u8>,
    file: Option<(PathBuf, BufWriter<File>)>,
}

impl Spill {
    const IN_MEMORY: usize = 1 << 20;

    /// Keeps one line; it must hold no `\n`.
    pub(crate) fn push_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.buffer.extend_from_slice(line);
        self.buffer.push(b'\n');
        if self.buffer.len() >= Spill::IN_MEMORY {
            if self.file.is_none() {
                self.file = Some(spill_file()?);
            }
            if let Some((_, file)) = &mut self.file {
                file.write_all(&self.buffer)?;
            }
            self.buffer.clear();
        }
        Ok(())
    }

    /// Whether some lines went to the file.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        self.file.is_some()
    }

    /// Every line kept, in order.
    pub(crate) fn lines(&mut self, mut each: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        if let Some((_, file)) = &mut self.file {
            file.flush()?;
            let mut read = BufReader::new(file.get_mut());
            read.seek(SeekFrom::Start(0))?;
            let mut pending = Vec::new();
            let mut chunk = vec![0; 1 << 16];
            loop {
                let n = read.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&chunk[..n]);
                let mut start = 0;
                while let Some(end) = pending[start..].iter().position(|b| *b == b'\n') {
                    each(&pending[start..start + end])?;
                    start += end + 1;
                }
                pending.drain(..start);
            }
        }
        let mut rest = self.buffer.as_slice();
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            each(&rest[..end])?;
            rest = &rest[end + 1..];
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some((path, _)) = self.file.take() {
            let _ = fs::remove_file(path);
        }
    }
}

/// A new file in the system's temporary folder, for this process alone.
fn spill_file() -> io::Result<(PathBuf, BufWriter<File>)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "civrules-report-{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let path = std::env::temp_dir().join(name);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    Ok((path, BufWriter::new(file)))
}
