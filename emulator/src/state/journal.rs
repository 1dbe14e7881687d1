//! The write-ahead log: every change to the state, appended as a checksummed record and
//! made durable (fsync) before the request that made it is answered.
//!
//! A record on disk is `len: u32 LE`, `crc32: u32 LE` (of the next two fields),
//! `seq: u64 LE`, then `len` bytes of JSON (a [`super::change::Change`]). The sequence
//! number orders records across files and lets a snapshot say which records it already
//! holds.
//!
//! Appending and waiting are separate steps. Operations append while they still hold
//! their region's lock, so records land in the order the changes were made; they wait
//! after releasing it, so one slow fsync does not stall the region. A single writer
//! thread takes everything queued, writes it, fsyncs once and wakes every waiter: many
//! concurrent requests share one fsync (group commit), and each still waits for its own
//! record.

use std::cell::Cell;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Bytes in a record's header: length, checksum, sequence number.
pub const HEADER: usize = 16;
/// The largest record accepted when reading: a bigger length field is corruption.
pub const MAX_RECORD: usize = 256 * 1024 * 1024;

thread_local! {
    /// The last record this thread appended: what [`Journal::wait_mine`] waits for.
    static LAST_APPENDED: Cell<u64> = const { Cell::new(0) };
}

/// Encodes one record.
pub fn encode(seq: u64, payload: &[u8], out: &mut Vec<u8>) {
    let mut crc = crc32fast::Hasher::new();
    crc.update(&seq.to_le_bytes());
    crc.update(payload);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(payload);
}

/// What reading a journal file found.
#[derive(Debug)]
pub struct Read {
    /// The whole records, in order: sequence number and payload.
    pub records: Vec<(u64, Vec<u8>)>,
    /// Where the whole records end.
    pub valid_len: u64,
    /// The file's length.
    pub file_len: u64,
}

/// Why a journal file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A record in the middle of the file is damaged: records follow it, so it is not a
    /// write cut short by a crash, and dropping it would lose acknowledged changes.
    #[error("{file} is corrupt at byte {offset} ({what}), and whole records follow it; the emulator will not start on it, and leaves the directory as it is")]
    Corrupt {
        /// The file.
        file: PathBuf,
        /// Where the damaged record starts.
        offset: u64,
        /// What is wrong with it.
        what: &'static str,
    },
}

/// Reads every whole record of `file`. A damaged record after which no whole record
/// follows is a torn tail (a write cut short by a crash): the records before it are
/// returned and `valid_len` says where they end. A damaged record followed by a whole one
/// is corruption.
pub fn read(file: &Path) -> Result<Read, ReadError> {
    let bytes = std::fs::read(file).map_err(|source| ReadError::Io {
        file: file.to_owned(),
        source,
    })?;
    let mut records = Vec::new();
    let mut at = 0usize;
    while at < bytes.len() {
        let problem = match record_at(&bytes, at) {
            Ok((seq, payload, next)) => {
                records.push((seq, payload.to_vec()));
                at = next;
                continue;
            }
            Err(problem) => problem,
        };
        // A torn tail: no whole record can be found anywhere after the damaged one (the
        // write was cut short, or only zeros the file system allocated follow it).
        // Anything else would drop acknowledged records, so it is corruption.
        let torn = !(at + 1..bytes.len()).any(|o| record_at(&bytes, o).is_ok());
        if torn {
            break;
        }
        return Err(ReadError::Corrupt {
            file: file.to_owned(),
            offset: at as u64,
            what: problem,
        });
    }
    Ok(Read {
        records,
        valid_len: at as u64,
        file_len: bytes.len() as u64,
    })
}

/// The record at `at`: sequence number, payload and where the next record starts.
fn record_at(bytes: &[u8], at: usize) -> Result<(u64, &[u8], usize), &'static str> {
    let header = bytes.get(at..at + HEADER).ok_or("a header cut short")?;
    let len = u32::from_le_bytes(header[0..4].try_into().unwrap_or_default()) as usize;
    let crc = u32::from_le_bytes(header[4..8].try_into().unwrap_or_default());
    let seq = u64::from_le_bytes(header[8..16].try_into().unwrap_or_default());
    if len > MAX_RECORD {
        return Err("a record length out of range");
    }
    let payload = bytes
        .get(at + HEADER..at + HEADER + len)
        .ok_or("a record cut short")?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&header[8..16]);
    hasher.update(payload);
    if hasher.finalize() != crc {
        return Err("a checksum mismatch");
    }
    Ok((seq, payload, at + HEADER + len))
}

/// The journal's shared parts: the queue of records not yet written, and how far the
/// file is durable.
#[derive(Debug)]
struct Shared {
    /// Bytes written to the current file.
    written: std::sync::atomic::AtomicU64,
    queue: Mutex<Queue>,
    queued: Condvar,
    done: Mutex<Done>,
    durable: Condvar,
}

#[derive(Debug, Default)]
struct Queue {
    next_seq: u64,
    records: Vec<u8>,
    last_queued: u64,
    closed: bool,
    /// A switch to a new file: the records queued before `at` (bytes into `records`)
    /// end the old file, the rest begin `file`.
    rotation: Option<Rotation>,
}

#[derive(Debug)]
struct Rotation {
    at: usize,
    file: File,
}

#[derive(Debug, Default)]
struct Done {
    durable: u64,
    failed: Option<String>,
}

/// A handle on the journal: cheap to clone, shared by every service that changes state.
#[derive(Debug, Clone)]
pub struct Journal {
    shared: Arc<Shared>,
}

/// The writer thread's end: closing the journal (on drop) lets it finish.
#[derive(Debug)]
pub struct Writer {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Writer {
    fn drop(&mut self) {
        lock(&self.shared.queue).closed = true;
        self.shared.queued.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Why a change could not be made durable.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the state directory could not be written: {0}")]
pub struct NotDurable(pub String);

impl Journal {
    /// Starts appending to `file` (opened for appending, its records so far ending at
    /// its end), numbering records from `next_seq`.
    pub fn start(file: File, next_seq: u64) -> (Journal, Writer) {
        let shared = Arc::new(Shared {
            written: std::sync::atomic::AtomicU64::new(0),
            queue: Mutex::new(Queue {
                next_seq,
                ..Queue::default()
            }),
            queued: Condvar::new(),
            done: Mutex::new(Done {
                durable: next_seq.saturating_sub(1),
                failed: None,
            }),
            durable: Condvar::new(),
        });
        let writer_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("state-journal".into())
            .spawn(move || write_loop(&writer_shared, file))
            .ok();
        if thread.is_none() {
            lock(&shared.done).failed = Some("the journal's writer thread did not start".into());
        }
        (
            Journal {
                shared: shared.clone(),
            },
            Writer { shared, thread },
        )
    }

    /// Queues `payload` as the next record and returns its sequence number; the calling
    /// thread remembers it for [`Journal::wait_mine`].
    pub fn append(&self, payload: &[u8]) -> u64 {
        let seq = {
            let mut q = lock(&self.shared.queue);
            let seq = q.next_seq;
            q.next_seq += 1;
            encode(seq, payload, &mut q.records);
            q.last_queued = seq;
            seq
        };
        self.shared.queued.notify_one();
        LAST_APPENDED.with(|c| c.set(c.get().max(seq)));
        seq
    }

    /// Bytes written to the current journal file.
    pub fn written(&self) -> u64 {
        self.shared
            .written
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Makes `file` the journal file from the next record on; returns the last record
    /// that goes to the old file. Every record up to it has been appended, so a snapshot
    /// taken after this call holds it.
    pub fn rotate(&self, file: File) -> u64 {
        let mut q = lock(&self.shared.queue);
        let at = q.records.len();
        q.rotation = Some(Rotation { at, file });
        let last = q.next_seq - 1;
        drop(q);
        self.shared.queued.notify_one();
        last
    }

    /// The sequence number the next record will get.
    pub fn next_seq(&self) -> u64 {
        lock(&self.shared.queue).next_seq
    }

    /// Waits until every record this thread appended is durable.
    pub fn wait_mine(&self) -> Result<(), NotDurable> {
        let seq = LAST_APPENDED.with(|c| c.replace(0));
        if seq == 0 {
            return Ok(());
        }
        self.wait(seq)
    }

    /// Whether record `seq` is durable already.
    pub fn is_durable(&self, seq: u64) -> bool {
        lock(&self.shared.done).durable >= seq
    }

    /// Waits until record `seq` is durable.
    pub fn wait(&self, seq: u64) -> Result<(), NotDurable> {
        let mut done = lock(&self.shared.done);
        loop {
            if done.durable >= seq {
                return Ok(());
            }
            if let Some(e) = &done.failed {
                return Err(NotDurable(e.clone()));
            }
            done = self
                .shared
                .durable
                .wait(done)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Fault injection for the crash test: the writer waits this long before each write,
/// which widens the window in which an answer sent before its record was written would
/// be lost to a SIGKILL. Unset, as it always is outside that test, it costs nothing.
const DELAY_VAR: &str = "COGNITO_EMULATOR_TEST_JOURNAL_DELAY_MS";

/// The writer thread: write what is queued, fsync, tell the waiters; until closed.
fn write_loop(shared: &Shared, mut file: File) {
    use std::sync::atomic::Ordering::Relaxed;
    let delay = std::env::var(DELAY_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis);
    loop {
        let (batch, last, rotation) = {
            let mut q = lock(&shared.queue);
            while q.records.is_empty() && q.rotation.is_none() && !q.closed {
                q = shared.queued.wait(q).unwrap_or_else(|e| e.into_inner());
            }
            if q.records.is_empty() && q.rotation.is_none() {
                // Closed: whoever appends now waits in vain, so tell them.
                drop(q);
                lock(&shared.done)
                    .failed
                    .get_or_insert_with(|| "the emulator is shutting down".into());
                shared.durable.notify_all();
                return;
            }
            (
                std::mem::take(&mut q.records),
                q.last_queued,
                q.rotation.take(),
            )
        };
        if let Some(delay) = delay {
            std::thread::sleep(delay);
        }
        let (old, new) = batch.split_at(rotation.as_ref().map_or(0, |r| r.at));
        let mut result = Ok(());
        if let Some(rotation) = rotation {
            // The old file ends whole and durable before the new one begins: only the
            // newest file may end in a torn record.
            result = file.write_all(old).and_then(|()| file.sync_data());
            file = rotation.file;
            shared.written.store(0, Relaxed);
        }
        let result = result
            .and_then(|()| file.write_all(new))
            .and_then(|()| file.sync_data());
        shared.written.fetch_add(new.len() as u64, Relaxed);
        let mut done = lock(&shared.done);
        match result {
            Ok(()) => done.durable = last,
            Err(e) => {
                tracing::error!(error = %e, "the state journal could not be written; changes from now on are refused");
                done.failed = Some(e.to_string());
            }
        }
        drop(done);
        shared.durable.notify_all();
        if lock(&shared.done).failed.is_some() {
            return;
        }
    }
}

// A panic elsewhere cannot leave these plain values half-written.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(payloads: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            encode(i as u64 + 1, p, &mut out);
        }
        out
    }

    fn read_bytes(bytes: &[u8]) -> Result<Read, ReadError> {
        let dir = std::env::temp_dir().join(format!("journal-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("wal.log");
        std::fs::write(&file, bytes).unwrap();
        let r = read(&file);
        std::fs::remove_dir_all(&dir).unwrap();
        r
    }

    #[test]
    fn reads_back_what_was_written() {
        let r = read_bytes(&records(&[b"one", b"two", b""])).unwrap();
        let seqs: Vec<u64> = r.records.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, [1, 2, 3]);
        assert_eq!(r.records[1].1, b"two");
        assert_eq!(r.valid_len, r.file_len);
    }

    #[test]
    fn a_torn_tail_is_dropped_wherever_the_write_stopped() {
        let whole = records(&[b"one", b"two", b"three"]);
        let two = records(&[b"one", b"two"]).len();
        for cut in two + 1..whole.len() {
            let r = read_bytes(&whole[..cut]).unwrap();
            assert_eq!(r.records.len(), 2, "cut at {cut}");
            assert_eq!(r.valid_len as usize, two);
        }
        // Zeros after the last whole record, as a crash can leave them.
        let mut zeros = records(&[b"one"]);
        zeros.extend_from_slice(&[0; 40]);
        assert_eq!(read_bytes(&zeros).unwrap().records.len(), 1);
    }

    #[test]
    fn damage_in_the_middle_is_corruption() {
        let mut bytes = records(&[b"one", b"two", b"three"]);
        bytes[HEADER + 3 + HEADER] ^= 0xff; // a byte of "two"
        match read_bytes(&bytes) {
            Err(ReadError::Corrupt { offset, .. }) => assert_eq!(offset as usize, HEADER + 3),
            other => panic!("expected corruption, got {other:?}"),
        }
    }

    #[test]
    fn concurrent_appends_share_fsyncs_and_each_waits_for_its_own() {
        let dir = std::env::temp_dir().join(format!("journal-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("wal.log");
        let file = File::create(&path).unwrap();
        let (journal, writer) = Journal::start(file, 1);
        std::thread::scope(|s| {
            for t in 0..8 {
                let journal = journal.clone();
                s.spawn(move || {
                    for i in 0..50 {
                        journal.append(format!("{t}-{i}").as_bytes());
                        journal.wait_mine().unwrap();
                    }
                });
            }
        });
        drop(writer);
        let r = read(&path).unwrap();
        let seqs: Vec<u64> = r.records.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, (1..=400).collect::<Vec<u64>>());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
