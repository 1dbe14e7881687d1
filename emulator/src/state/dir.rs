//! The state directory: a lock, a snapshot and the journal.
//!
//! ```text
//! DIR/LOCK                    held (flock) while an emulator runs on DIR
//! DIR/snapshot.json           the state up to journal record `seq`
//! DIR/journal-<generation>.log the records, in files numbered in the order written
//! ```
//!
//! At start the snapshot is read and every later journal record replayed. The state is
//! then written as a new snapshot (temporary file, fsync, rename, fsync of the
//! directory) and the journal files it replaces are deleted, so that a restart reads
//! one snapshot and a short journal. A crash at any point of that leaves either the old
//! snapshot with its journal or the new one.
//!
//! While running, a journal that has grown past a limit is compacted the same way
//! ([`StateDir::compact`]): the journal moves to a new file, the state is written as a
//! snapshot of every record up to the switch, and the older files go. The snapshot is
//! taken while requests go on, so it may also hold changes from records after the
//! switch; replaying those records over it is harmless, because each record is the
//! whole new value of what it changed (and a mail already there is not added twice).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::change::Change;
use super::journal::{self, Journal, ReadError, Writer};
use super::snapshot::Snapshot;
use crate::error::{Error, Result};

const SNAPSHOT: &str = "snapshot.json";
const LOCK: &str = "LOCK";
const JOURNAL_PREFIX: &str = "journal-";
const JOURNAL_SUFFIX: &str = ".log";

/// What a state directory held at start.
#[derive(Debug, Default)]
pub struct Recovered {
    /// The snapshot, if there was one.
    pub snapshot: Option<Snapshot>,
    /// The journal's changes after it, in order.
    pub changes: Vec<Change>,
    /// The last record's sequence number (the snapshot's, when no record follows it).
    pub last_seq: u64,
}

/// An open state directory: locked for this process until dropped.
#[derive(Debug)]
pub struct StateDir {
    path: PathBuf,
    _lock: File,
}

fn failed(dir: &Path, reason: impl std::fmt::Display) -> Error {
    Error::StateDir {
        dir: dir.to_owned(),
        reason: reason.to_string(),
    }
}

impl StateDir {
    /// Creates `dir` if needed, checks it can be written, and takes its lock: a second
    /// emulator on the same directory is refused.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| failed(dir, format!("cannot create it: {e}")))?;
        let lock_path = dir.join(LOCK);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| failed(dir, format!("cannot write in it: {e}")))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(failed(
                    dir,
                    "another emulator is using it (its LOCK file is held); one emulator per state directory",
                ))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(failed(dir, format!("cannot lock it: {e}")))
            }
        }
        // Proves the directory takes new files, before anything is acknowledged.
        let probe = dir.join(".write-check");
        File::create(&probe)
            .and_then(|mut f| f.write_all(b"ok"))
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| failed(dir, format!("cannot write in it: {e}")))?;
        Ok(Self {
            path: dir.to_owned(),
            _lock: lock,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the snapshot and the journal. A torn tail is cut off (and logged); any
    /// other damage stops the start, naming the file, and changes nothing on disk.
    pub fn recover(&self) -> Result<Recovered> {
        let mut recovered = Recovered::default();
        let snapshot_path = self.path.join(SNAPSHOT);
        match std::fs::read(&snapshot_path) {
            Ok(bytes) => {
                let snapshot = Snapshot::from_json(&bytes).map_err(|e| {
                    failed(
                        &self.path,
                        format!("{} cannot be read ({e}); the emulator will not start on it, and leaves the directory as it is", snapshot_path.display()),
                    )
                })?;
                recovered.last_seq = snapshot.seq;
                recovered.snapshot = Some(snapshot);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(failed(
                    &self.path,
                    format!("{}: {e}", snapshot_path.display()),
                ))
            }
        }
        let files = self.journal_files()?;
        let mut reads = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let read = journal::read(file).map_err(|e| match e {
                ReadError::Io { .. } | ReadError::Corrupt { .. } => failed(&self.path, e),
            })?;
            let last = i + 1 == files.len();
            if read.valid_len < read.file_len && !last {
                // Only the newest file can have been cut short by a crash.
                return Err(failed(
                    &self.path,
                    format!("{} is corrupt at byte {} (a record cut short in a journal file that is not the newest); the emulator will not start on it, and leaves the directory as it is", file.display(), read.valid_len),
                ));
            }
            reads.push((file.clone(), read));
        }
        // Nothing on disk changes before every file has been read without error.
        for (file, read) in reads {
            if read.valid_len < read.file_len {
                let torn = read.file_len - read.valid_len;
                tracing::warn!(file = %file.display(), bytes = torn, "dropped a torn record at the end of the journal (a write cut short by a crash; it was never acknowledged)");
                OpenOptions::new()
                    .write(true)
                    .open(&file)
                    .and_then(|f| f.set_len(read.valid_len).and_then(|()| f.sync_all()))
                    .map_err(|e| failed(&self.path, format!("{}: {e}", file.display())))?;
            }
            for (seq, payload) in read.records {
                if seq <= recovered.last_seq {
                    continue; // already in the snapshot
                }
                let change: Change = serde_json::from_slice(&payload).map_err(|e| {
                    failed(
                        &self.path,
                        format!("{}: record {seq} cannot be read ({e}); the emulator will not start on it, and leaves the directory as it is", file.display()),
                    )
                })?;
                recovered.changes.push(change);
                recovered.last_seq = seq;
            }
        }
        Ok(recovered)
    }

    /// Writes `snapshot` (the whole state, up to record `seq`) in place of the old one,
    /// deletes the journal files it covers, and starts a new journal after it.
    pub fn compact_and_start(&self, snapshot: &[u8], seq: u64) -> Result<(Journal, Writer)> {
        let file = self.new_journal_file()?;
        self.replace_snapshot(snapshot)?;
        Ok(Journal::start(file, seq + 1))
    }

    /// Compacts a running journal: moves it to a new file, writes what `export` makes
    /// of the state as the snapshot of every record before the switch, and deletes the
    /// older files.
    pub fn compact(&self, journal: &Journal, export: impl FnOnce(u64) -> Vec<u8>) -> Result<()> {
        // The new file exists, durably named, before any record can go to it.
        let file = self.new_journal_file()?;
        let seq = journal.rotate(file);
        journal.wait(seq).map_err(|e| failed(&self.path, e))?;
        self.replace_snapshot(&export(seq))
    }

    /// Makes the next journal file, numbered after every file there.
    fn new_journal_file(&self) -> Result<File> {
        let err = |e: std::io::Error| failed(&self.path, e);
        let next = self
            .journal_files()?
            .last()
            .and_then(|p| generation(p))
            .map_or(1, |g| g + 1);
        let path = self
            .path
            .join(format!("{JOURNAL_PREFIX}{next:020}{JOURNAL_SUFFIX}"));
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(err)?;
        sync_dir(&self.path).map_err(err)?;
        Ok(file)
    }

    /// Writes `snapshot` in place of the old one, then deletes every journal file but
    /// the newest (whose records come after the snapshot's, or are held in it).
    fn replace_snapshot(&self, snapshot: &[u8]) -> Result<()> {
        let err = |e: std::io::Error| failed(&self.path, e);
        let tmp = self.path.join(format!("{SNAPSHOT}.tmp"));
        let mut f = File::create(&tmp).map_err(err)?;
        f.write_all(snapshot)
            .and_then(|()| f.sync_all())
            .map_err(err)?;
        drop(f);
        std::fs::rename(&tmp, self.path.join(SNAPSHOT)).map_err(err)?;
        sync_dir(&self.path).map_err(err)?;
        let mut files = self.journal_files()?;
        files.pop();
        for old in files {
            std::fs::remove_file(&old).map_err(err)?;
        }
        Ok(())
    }

    /// The journal files, oldest first.
    fn journal_files(&self) -> Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.path)
            .map_err(|e| failed(&self.path, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(JOURNAL_PREFIX) && n.ends_with(JOURNAL_SUFFIX))
            })
            .collect();
        // Zero-padded sequence numbers: name order is record order.
        files.sort();
        Ok(files)
    }
}

/// The generation number in a journal file's name.
fn generation(path: &Path) -> Option<u64> {
    path.file_name()?
        .to_str()?
        .strip_prefix(JOURNAL_PREFIX)?
        .strip_suffix(JOURNAL_SUFFIX)?
        .parse()
        .ok()
}

/// Makes a rename or a new file in `dir` durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}
