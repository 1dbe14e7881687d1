//! RSA keys made ahead of need. A 2048-bit key takes a good fraction of a second to
//! generate, and every pool that issues tokens needs two: making them on a background
//! thread while the caller is still setting up its pool keeps sign-in fast.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rsa::RsaPrivateKey;

const RSA_BITS: usize = 2048;

/// A small stock of fresh RSA keys, refilled in the background.
#[derive(Debug)]
pub struct KeyStash {
    ready: Mutex<Vec<RsaPrivateKey>>,
    target: usize,
    filling: AtomicBool,
}

impl KeyStash {
    /// A stash that keeps `target` keys ready once [`KeyStash::refill`] is first called.
    pub fn new(target: usize) -> Arc<Self> {
        Arc::new(Self {
            ready: Mutex::default(),
            target,
            filling: AtomicBool::new(false),
        })
    }

    /// A fresh key: from the stock if one is ready, else made now. Starts a refill.
    pub fn take(self: &Arc<Self>) -> RsaPrivateKey {
        let ready = self.ready.lock().unwrap_or_else(|e| e.into_inner()).pop();
        self.refill();
        ready.unwrap_or_else(generate)
    }

    /// Tops the stock up on a background thread, unless that is already happening. The
    /// thread holds the stash weakly: once the emulator is gone, it stops after the key
    /// it is making.
    pub fn refill(self: &Arc<Self>) {
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
                    Some(stash) => stash
                        .ready
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(key),
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
