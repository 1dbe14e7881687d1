//! RSA keys made ahead of need. A 2048-bit key takes a good fraction of a second to
//! generate, and every pool that issues tokens needs two: making them on a background
//! thread while the caller is still setting up its pool keeps sign-in fast.
//!
//! With a key cache (a directory), keys made by one run are kept for the next ones: a
//! run takes each cached key at most once, so no two pools of a run share a key, and
//! only keys beyond what the cache holds are generated. Test suites that create a pool
//! per scenario then start in milliseconds instead of seconds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;

const RSA_BITS: usize = 2048;

/// The most keys a cache directory keeps.
pub const CACHE_LIMIT: usize = 512;

/// A directory of keys (PKCS#8 DER, one per file) and those not yet taken in this run.
#[derive(Debug)]
struct Cache {
    dir: PathBuf,
    unused: Mutex<Vec<PathBuf>>,
    /// How many files the directory holds, to stop adding at [`CACHE_LIMIT`].
    held: Mutex<usize>,
}

impl Cache {
    fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "der"))
            .collect();
        files.sort();
        let held = files.len();
        Ok(Self {
            dir: dir.to_owned(),
            unused: Mutex::new(files),
            held: Mutex::new(held),
        })
    }

    /// The next cached key this run has not taken; a file that does not read as a key
    /// is skipped (and removed).
    fn take(&self) -> Option<RsaPrivateKey> {
        loop {
            let path = self
                .unused
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()?;
            let key = std::fs::read(&path)
                .ok()
                .and_then(|der| RsaPrivateKey::from_pkcs8_der(&der).ok());
            match key {
                Some(key) if key.size() * 8 == RSA_BITS => return Some(key),
                _ => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }

    fn has_unused(&self) -> bool {
        !self
            .unused
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Keeps a newly made key for later runs (not this one: it is in use), written to a
    /// temporary name and renamed, so a reader never sees half a file.
    fn keep(&self, key: &RsaPrivateKey) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if *held >= CACHE_LIMIT {
            return;
        }
        let Ok(der) = key.to_pkcs8_der() else { return };
        let name = uuid::Uuid::new_v4().to_string();
        let tmp = self.dir.join(format!("{name}.tmp"));
        let done = self.dir.join(format!("{name}.der"));
        if write_private(&tmp, der.as_bytes()).is_ok() && std::fs::rename(&tmp, &done).is_ok() {
            *held += 1;
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Writes `bytes` readable by the owner only (the keys are private keys, if only a test
/// emulator's).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

/// A small stock of fresh RSA keys, refilled in the background.
#[derive(Debug)]
pub struct KeyStash {
    ready: Mutex<Vec<RsaPrivateKey>>,
    target: usize,
    filling: AtomicBool,
    cache: Option<Cache>,
}

impl KeyStash {
    /// A stash that keeps `target` keys ready once [`KeyStash::refill`] is first called.
    pub fn new(target: usize) -> Arc<Self> {
        Arc::new(Self {
            ready: Mutex::default(),
            target,
            filling: AtomicBool::new(false),
            cache: None,
        })
    }

    /// As [`KeyStash::new`], taking keys from the cache directory `dir` first and keeping
    /// the keys it makes there for later runs.
    pub fn with_cache(target: usize, dir: &Path) -> std::io::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            ready: Mutex::default(),
            target,
            filling: AtomicBool::new(false),
            cache: Some(Cache::open(dir)?),
        }))
    }

    /// A fresh key (for this run): a cached one if any is left, else one from the stock,
    /// else one made now. Starts a refill once the cache is used up.
    pub fn take(self: &Arc<Self>) -> RsaPrivateKey {
        if let Some(key) = self.cache.as_ref().and_then(Cache::take) {
            return key;
        }
        let ready = self.ready.lock().unwrap_or_else(|e| e.into_inner()).pop();
        self.refill();
        ready.unwrap_or_else(|| {
            let key = generate();
            if let Some(cache) = &self.cache {
                cache.keep(&key);
            }
            key
        })
    }

    /// Tops the stock up on a background thread, unless that is already happening. The
    /// thread holds the stash weakly: once the emulator is gone, it stops after the key
    /// it is making.
    pub fn refill(self: &Arc<Self>) {
        // Cached keys cost nothing to take: no key is made while any is left.
        if self.cache.as_ref().is_some_and(Cache::has_unused) {
            return;
        }
        if self.filling.swap(true, Ordering::AcqRel) {
            return;
        }
        let weak = Arc::downgrade(self);
        let spawned = std::thread::Builder::new()
            .name("rsa-keygen".into())
            .spawn(move || loop {
                let Some(stash) = weak.upgrade() else {
                    return;
                };
                let short =
                    stash.ready.lock().unwrap_or_else(|e| e.into_inner()).len() < stash.target;
                if !short {
                    stash.filling.store(false, Ordering::Release);
                    return;
                }
                // Not holding the stash while the key is made lets it be dropped meanwhile.
                drop(stash);
                let key = generate();
                match weak.upgrade() {
                    Some(stash) => {
                        if let Some(cache) = &stash.cache {
                            cache.keep(&key);
                        }
                        stash
                            .ready
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(key)
                    }
                    None => return,
                }
            });
        if spawned.is_err() {
            // No thread: keys are made on demand instead.
            self.filling.store(false, Ordering::Release);
        }
    }
}

/// A fresh 2048-bit key.
pub fn generate() -> RsaPrivateKey {
    loop {
        // Generation only fails on a broken RNG; trying again is all one can do.
        if let Ok(key) = RsaPrivateKey::new(&mut rand::rngs::OsRng, RSA_BITS) {
            return key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_gives_each_key_once_per_run_and_keeps_new_ones_for_the_next() {
        let dir = std::env::temp_dir().join(format!("key-cache-test-{}", uuid::Uuid::new_v4()));
        let first = KeyStash::with_cache(0, &dir).unwrap();
        let (a, b) = (first.take(), first.take());
        assert_ne!(a, b);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "both kept");
        // The next run gets those two, once each, then new ones.
        let second = KeyStash::with_cache(0, &dir).unwrap();
        let taken = [second.take(), second.take()];
        assert!(taken.contains(&a) && taken.contains(&b));
        let third = second.take();
        assert!(third != a && third != b);
        // A file that is not a key is skipped and removed.
        std::fs::write(dir.join("broken.der"), b"not a key").unwrap();
        // Three good keys and the broken file: four takes reach every file, whatever
        // order the names sort in.
        let fourth = KeyStash::with_cache(0, &dir).unwrap();
        for _ in 0..4 {
            let _ = fourth.take();
        }
        assert!(!dir.join("broken.der").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
