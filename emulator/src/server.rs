//! Starting the emulator: in a test (one call, a free loopback port, a handle that shuts
//! it down on drop) or as the `cognito-emulator` program.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::cognito::triggers::{Handler, HandlerFuture, Invoker};
use crate::cognito::Cognito;
use crate::error::{Error, Result};
use crate::http::{router, AppState};
use crate::mailer::{MailRelay, Mailer};
use crate::outbox::Outbox;
use crate::ses::Ses;
use crate::state::dir::StateDir;
use crate::state::snapshot::{ImportError, Snapshot};
use crate::state::{Counts, Services};
use serde_json::Value;

/// The region of requests that do not name one (unsigned requests).
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account id in ARNs, as LocalStack and moto use.
pub const DEFAULT_ACCOUNT_ID: &str = "000000000000";

/// The journal size at which a running emulator compacts it into a snapshot.
pub const DEFAULT_JOURNAL_LIMIT: u64 = 64 * 1024 * 1024;

/// Builds and starts an emulator.
///
/// ```
/// # tokio_test_block_on(async {
/// let emulator = cognito_emulator::Emulator::new().start().await.unwrap();
/// assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
/// assert!(emulator.outbox().all().is_empty());
/// emulator.shutdown().await;
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
/// ```
pub struct Emulator {
    listen: SocketAddr,
    region: String,
    account_id: String,
    clock: Arc<dyn Clock>,
    relay: Option<Arc<dyn MailRelay>>,
    issuer_base: Option<String>,
    lambda_endpoint: Option<String>,
    key_cache: Option<std::path::PathBuf>,
    outbox_limit: usize,
    triggers: HashMap<String, Handler>,
    state_dir: Option<std::path::PathBuf>,
    journal_limit: u64,
}

impl Default for Emulator {
    fn default() -> Self {
        Self::new()
    }
}

impl Emulator {
    /// An emulator on a free loopback port, region `us-east-1`, account `000000000000`.
    pub fn new() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            region: DEFAULT_REGION.to_owned(),
            account_id: DEFAULT_ACCOUNT_ID.to_owned(),
            clock: Arc::new(SystemClock),
            relay: None,
            issuer_base: None,
            lambda_endpoint: None,
            key_cache: None,
            outbox_limit: crate::outbox::DEFAULT_LIMIT,
            triggers: HashMap::new(),
            state_dir: None,
            journal_limit: DEFAULT_JOURNAL_LIMIT,
        }
    }

    /// Listens on `addr` (port 0 picks a free one).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The region of requests that are not signed for one.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The account id in ARNs.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = account_id.into();
        self
    }

    /// The clock (tests pass a [`crate::clock::ManualClock`] to make codes and tokens expire).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Also hands every mail to `relay`.
    pub fn relay(mut self, relay: Arc<dyn MailRelay>) -> Self {
        self.relay = Some(relay);
        self
    }

    /// Issues tokens whose `iss` is `{base}/{pool id}` rather than AWS's
    /// `https://cognito-idp.{region}.amazonaws.com/{pool id}`, for clients that expect the
    /// issuer under the endpoint they call (pycognito, for one).
    pub fn issuer_base(mut self, base: impl Into<String>) -> Self {
        self.issuer_base = Some(base.into());
        self
    }

    /// Calls Lambda triggers through the AWS Lambda Invoke API at `url`
    /// (`POST {url}/2015-03-31/functions/{ARN}/invocations`): LocalStack, moto, the
    /// runtime interface emulator, `cargo lambda watch`, or a test's own server.
    pub fn lambda_endpoint(mut self, url: impl Into<String>) -> Self {
        self.lambda_endpoint = Some(url.into());
        self
    }

    /// Runs `handler` in-process as the Lambda function `arn`, whenever a pool's
    /// `LambdaConfig` names that ARN for a trigger. The handler gets the event as JSON
    /// and returns it, filled in, or an error (which fails the operation with
    /// `UserLambdaValidationException`, as a function error does on AWS).
    ///
    /// ```
    /// use cognito_emulator::Emulator;
    /// use serde_json::Value;
    ///
    /// // A pre-sign-up trigger that confirms everyone at example.org.
    /// let emulator = Emulator::new().trigger(
    ///     "arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up",
    ///     |mut event: Value| async move {
    ///         let email = event["request"]["userAttributes"]["email"].as_str().unwrap_or("");
    ///         if email.ends_with("@example.org") {
    ///             event["response"]["autoConfirmUser"] = Value::Bool(true);
    ///         }
    ///         Ok::<_, String>(event)
    ///     },
    /// );
    /// ```
    pub fn trigger<F, Fut, E>(mut self, arn: impl Into<String>, handler: F) -> Self
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<Value, E>> + Send + 'static,
        E: std::fmt::Display,
    {
        let handler = Arc::new(handler);
        let call: Handler = Arc::new(move |event| {
            let fut = handler(event);
            Box::pin(async move { fut.await.map_err(|e| e.to_string()) }) as HandlerFuture
        });
        self.triggers.insert(arn.into(), call);
        self
    }

    /// Keeps signing keys in the directory `dir` across runs: a run takes each cached key
    /// at most once and generates only what the cache lacks (see the README's
    /// *Performance*). Without it every key is generated.
    pub fn key_cache(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.key_cache = Some(dir.into());
        self
    }

    /// Keeps at most `limit` mails in the outbox, dropping the oldest first (default
    /// 10,000); `GET /_aws/ses` says how many were dropped.
    pub fn outbox_limit(mut self, limit: usize) -> Self {
        self.outbox_limit = limit;
        self
    }

    /// Keeps the state in the directory `dir`, so that it survives a restart or a crash:
    /// every change is journaled and fsynced before its request is answered, and the
    /// next start with the same directory takes it all back (see `state::dir`). One
    /// emulator per directory; without it nothing is written to disk.
    pub fn state_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// With a state directory, compacts the journal into a snapshot whenever it passes
    /// `bytes` (default 64 MiB), so that a long-lived emulator's directory, and the time
    /// a restart takes, stay bounded.
    pub fn journal_limit(mut self, bytes: u64) -> Self {
        self.journal_limit = bytes.max(1);
        self
    }

    /// Binds and starts serving in the current tokio runtime.
    pub async fn start(self) -> Result<EmulatorHandle> {
        if self.account_id.len() != 12 || !self.account_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::InvalidSetting {
                name: "account-id",
                reason: format!("{:?} is not 12 digits", self.account_id),
            });
        }
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(|source| Error::Bind {
                addr: self.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(Error::Serve)?;
        let outbox = Outbox::with_limit(self.outbox_limit);
        let mailer = Mailer::new(outbox.clone(), self.relay, self.clock.clone());
        let ses = Arc::new(Ses::new(mailer.clone(), self.clock.clone()));
        let mut cognito = Cognito::new(self.clock.clone(), mailer)
            .with_sender_identities(ses.clone())
            .with_issuer_base(self.issuer_base)
            .with_triggers(Invoker::new(self.lambda_endpoint, self.triggers));
        if let Some(dir) = &self.key_cache {
            cognito = cognito
                .with_key_cache(dir)
                .map_err(|e| Error::InvalidSetting {
                    name: "key-cache",
                    reason: format!("{}: {e}", dir.display()),
                })?;
        }
        let cognito = Arc::new(cognito);
        let kept = match &self.state_dir {
            Some(dir) => Some(Arc::new(recover(
                dir,
                self.journal_limit,
                &cognito,
                &ses,
                &outbox,
            )?)),
            None => None,
        };
        // Signing keys take a while to make: start on them now, in the background, so the
        // first sign-in does not wait. Start-up itself does not.
        cognito.prepare_keys();
        let state_ses = ses.clone();
        let state = AppState {
            cognito: cognito.clone(),
            ses,
            outbox: outbox.clone(),
            default_region: self.region,
            account_id: self.account_id,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // The journal's writer and the directory's lock live as long as the server:
            // requests still in flight after a shutdown began can still be made durable.
            let _kept = kept;
            axum::serve(listener, router(state))
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "cognito-emulator listening");
        Ok(EmulatorHandle {
            addr,
            outbox,
            cognito,
            ses: state_ses,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// What keeps the state in a directory: its lock, the journal's writer thread, and the
/// thread that compacts the journal once it passes its limit.
#[derive(Debug)]
struct Kept {
    compactor: Option<(
        Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
    _writer: crate::state::journal::Writer,
    _dir: Arc<StateDir>,
}

impl Drop for Kept {
    fn drop(&mut self) {
        // The compactor first: it writes through the journal and the directory.
        if let Some((stop, thread)) = self.compactor.take() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// Compacts the journal whenever it has grown past `limit` bytes, until `stop`.
fn compact_when_needed(
    dir: &StateDir,
    journal: &crate::state::journal::Journal,
    limit: u64,
    services: Services<'_>,
    stop: &std::sync::atomic::AtomicBool,
) {
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        if journal.written() >= limit {
            let started = std::time::Instant::now();
            match dir.compact(journal, |seq| services.export(seq)) {
                Ok(()) => tracing::info!(
                    millis = started.elapsed().as_millis() as u64,
                    "state journal compacted into a snapshot"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "the state journal could not be compacted; it keeps growing");
                    return;
                }
            }
        }
        std::thread::park_timeout(std::time::Duration::from_millis(250));
    }
}

/// Opens the state directory `dir`, takes back what it holds into the services, writes
/// it as the new snapshot, and journals every change from now on.
fn recover(
    dir: &std::path::Path,
    journal_limit: u64,
    cognito: &Arc<Cognito>,
    ses: &Arc<Ses>,
    outbox: &Outbox,
) -> Result<Kept> {
    let started = std::time::Instant::now();
    let state_dir = Arc::new(StateDir::open(dir)?);
    let recovered = state_dir.recover()?;
    let (records, last_seq) = (recovered.changes.len(), recovered.last_seq);
    let services = Services {
        cognito,
        ses,
        outbox,
    };
    services.recover(recovered).map_err(|e| Error::StateDir {
        dir: dir.to_owned(),
        reason: format!(
            "{e}; the emulator will not start on it, and leaves the directory as it is"
        ),
    })?;
    let snapshot = services.export(last_seq);
    let (journal, writer) = state_dir.compact_and_start(&snapshot, last_seq)?;
    cognito.attach_journal(journal.clone());
    ses.attach_journal(journal.clone());
    outbox.attach_journal(journal.clone());
    let counts = services.counts();
    tracing::info!(
        dir = %dir.display(),
        pools = counts.pools,
        users = counts.users,
        mails = counts.mails,
        records_replayed = records,
        millis = started.elapsed().as_millis() as u64,
        "state directory opened"
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let thread = {
        let (dir, journal, stop) = (state_dir.clone(), journal.clone(), stop.clone());
        let (cognito, ses, outbox) = (cognito.clone(), ses.clone(), outbox.clone());
        std::thread::Builder::new()
            .name("state-compactor".into())
            .spawn(move || {
                let services = Services {
                    cognito: &cognito,
                    ses: &ses,
                    outbox: &outbox,
                };
                compact_when_needed(&dir, &journal, journal_limit, services, &stop);
            })
            .ok()
    };
    Ok(Kept {
        compactor: thread.map(|t| (stop, t)),
        _writer: writer,
        _dir: state_dir,
    })
}

/// A running emulator. Dropping it stops the server.
pub struct EmulatorHandle {
    addr: SocketAddr,
    outbox: Outbox,
    cognito: Arc<Cognito>,
    ses: Arc<Ses>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT`: the endpoint URL for AWS clients.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The services whose state is kept.
    fn services(&self) -> Services<'_> {
        Services {
            cognito: &self.cognito,
            ses: &self.ses,
            outbox: &self.outbox,
        }
    }

    /// Empties the emulator, or one region of it, as `POST /_emulator/reset` does.
    pub fn reset(&self, region: Option<&str>) {
        if let Err(e) = self.services().reset(region) {
            tracing::error!(error = %e, "the reset could not be made durable");
        }
    }

    /// The whole state as JSON, as `GET /_emulator/state` exports it (secrets and keys
    /// included: keep it out of reports).
    pub fn export_state(&self) -> Vec<u8> {
        self.services().export(0)
    }

    /// Replaces the whole state with `json`, an export, as `POST /_emulator/state` does;
    /// returns what it holds.
    pub fn import_state(&self, json: &[u8]) -> Result<Counts, ImportError> {
        self.services().import(Snapshot::from_json(json)?)
    }

    /// Every mail sent, read directly (no HTTP).
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// The Cognito service, for tests that call operations without HTTP.
    pub fn cognito(&self) -> &Arc<Cognito> {
        &self.cognito
    }

    /// The SES service, for tests that call it without HTTP.
    pub fn ses(&self) -> &Arc<Ses> {
        &self.ses
    }

    /// Stops accepting requests, lets requests in flight finish, and waits for the end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Err(e)) => tracing::warn!(error = %e, "server ended with an error"),
                Err(e) => tracing::warn!(error = %e, "server task failed"),
                Ok(Ok(())) => {}
            }
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        // Graceful: the server finishes requests in flight, then its task ends.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
