//! What the acceptance tests share: run every feature against a target, and fail if any
//! scenario fails or if a password, code or token reached the console or a report.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use cognito_e2e::{run, secrets, RunOptions, Settings};

/// What a run that could not start means for the test.
#[allow(dead_code)] // not every test binary uses it, nor every variant
pub enum IfUnavailable {
    /// Fail.
    Fail,
    /// Say why and pass (the target needs something this machine lacks).
    Skip,
}

/// Console output, shown live and kept for the checks after the run.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stdout().write_all(buf)?;
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}

/// Runs every feature against `settings`; exits the process with the verdict.
#[allow(dead_code)] // not every test binary uses it
pub fn run_suite(name: &str, settings: Settings, if_unavailable: IfUnavailable) -> ! {
    run_suite_tagged(name, settings, None, if_unavailable)
}

/// As [`run_suite`], for the scenarios the tag expression `tags` selects.
#[allow(dead_code)] // not every test binary uses it
pub fn run_suite_tagged(
    name: &str,
    settings: Settings,
    tags: Option<&str>,
    if_unavailable: IfUnavailable,
) -> ! {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let passed = runtime.block_on(suite_passes_tagged(name, settings, tags, if_unavailable));
    std::process::exit(i32::from(!passed));
}

/// Runs every feature against `settings`: whether all passed and no secret leaked.
#[allow(dead_code)] // not every test binary uses it
pub async fn suite_passes(name: &str, settings: Settings, if_unavailable: IfUnavailable) -> bool {
    suite_passes_tagged(name, settings, None, if_unavailable).await
}

/// As [`suite_passes`], for the scenarios the tag expression `tags` selects.
#[allow(dead_code)] // not every test binary uses it
pub async fn suite_passes_tagged(
    name: &str,
    settings: Settings,
    tags: Option<&str>,
    if_unavailable: IfUnavailable,
) -> bool {
    let reports = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let captured = Captured::default();
    let mut options = RunOptions::new(settings);
    options.tags = tags.map(str::to_owned);
    options.console = Box::new(captured.clone());
    options.color = false;
    options.junit = Some(reports.join("junit.xml"));
    options.json = Some(reports.join("cucumber.json"));
    options.html = Some(reports.join("report.html"));

    let summary = match run(options).await {
        Ok(summary) => summary,
        Err(e) => match if_unavailable {
            IfUnavailable::Fail => {
                eprintln!("{name}: the run could not start: {e}");
                return false;
            }
            IfUnavailable::Skip => {
                println!("{name}: skipped, the target is not available here: {e}");
                return true;
            }
        },
    };

    // Every secret the run handled must be absent from everything it wrote.
    let console = captured.text();
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap_or_default();
    let json = std::fs::read_to_string(reports.join("cucumber.json")).unwrap_or_default();
    let html = std::fs::read_to_string(reports.join("report.html")).unwrap_or_default();
    let handled = secrets::all();
    let leaks: Vec<&str> = [
        ("console", &console),
        ("JUnit report", &junit),
        ("JSON report", &json),
        ("HTML report", &html),
    ]
    .iter()
    .filter(|(_, text)| {
        let text = without_timings(text);
        handled.iter().any(|s| contains_secret(&text, s))
    })
    .map(|(name, _)| *name)
    .collect();

    let scenarios_ran = summary.passed_steps > 0;
    println!(
        "{name}: {} steps passed, {} failed ({} undefined, {} ambiguous), {} skipped; \
         {} secrets checked, leaks: {:?}",
        summary.passed_steps,
        summary.failed_steps,
        summary.undefined_steps,
        summary.ambiguous_steps,
        summary.skipped_steps,
        handled.len(),
        leaks
    );
    !summary.failed() && leaks.is_empty() && scenarios_ran && !handled.is_empty()
}

/// `text` without the reports' timings (`"duration":123456`, `time="0.123"`, `123 ms`),
/// which are numbers that a 6-digit code could match by chance.
pub fn without_timings(text: &str) -> String {
    let timings =
        regex::Regex::new(r#""duration":\d+|time="[\d.]+"|\d+ ms\b"#).expect("a valid pattern");
    timings.replace_all(text, "").into_owned()
}

/// Whether `secret` appears in `text`; a secret of digits only (a code) counts only where
/// it stands alone, not inside a longer number.
pub fn contains_secret(text: &str, secret: &str) -> bool {
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(secret);
    }
    text.match_indices(secret).any(|(at, _)| {
        let before = text[..at].bytes().next_back();
        let after = text[at + secret.len()..].bytes().next();
        !before.is_some_and(|b| b.is_ascii_digit()) && !after.is_some_and(|b| b.is_ascii_digit())
    })
}

/// Held by each test that starts a run: a run sets the process's one target, so the
/// tests of one binary that start runs take turns.
#[allow(dead_code)] // the suites with their own main start one run each
pub async fn one_run_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static RUNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    RUNS.lock().await
}
