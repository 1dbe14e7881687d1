//! Wall time of the feature suite against the embedded target, of the tutorial alone, and
//! of the emulator's start-up. Each suite run is a fresh process (the run's target is
//! set once per process), so the figures include start-up and key generation, as a user
//! sees them.
//!
//! The `@slow` scenarios are left out of "whole suite": they wait for an authenticator
//! app's next code (up to 31 s of sleep, which says nothing about speed).
//!
//! `cargo bench --bench suite` (add `--profile dev` for the debug build `cargo test` uses).

use std::process::Command;
use std::time::{Duration, Instant};

use cognito_e2e::{run, RunOptions, Settings};

const RUNS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(
            args.get(i + 1)
                .map(String::as_str)
                .filter(|t| !t.is_empty()),
        );
        return;
    }
    for (label, tags) in [
        ("whole suite (without @slow)", "not @slow"),
        ("tutorial alone", "@tutorial"),
    ] {
        let mut times: Vec<Duration> = (0..RUNS).map(|_| child_run(tags)).collect();
        times.sort();
        println!(
            "{label}: median {:.0} ms, min {:.0} ms, max {:.0} ms ({RUNS} runs, fresh process each)",
            ms(times[RUNS / 2]),
            ms(times[0]),
            ms(times[RUNS - 1])
        );
    }
    // Last: each start begins making signing keys in the background, which would
    // compete with the suite runs above.
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let mut startups: Vec<Duration> = (0..20)
        .map(|_| {
            runtime.block_on(async {
                let t = Instant::now();
                let emulator = cognito_emulator::Emulator::new()
                    .start()
                    .await
                    .expect("start");
                let elapsed = t.elapsed();
                emulator.shutdown().await;
                elapsed
            })
        })
        .collect();
    startups.sort();
    println!(
        "emulator start-up: median {:.2} ms, max {:.2} ms (20 starts)",
        ms(startups[10]),
        ms(startups[19])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn child_run(tags: &str) -> Duration {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["--child", tags])
        .output()
        .expect("run the child");
    let text = String::from_utf8_lossy(&out.stdout);
    let micros = text
        .lines()
        .find_map(|l| l.strip_prefix("elapsed_us="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("the child run failed:\n{text}"));
    Duration::from_micros(micros)
}

fn child(tags: Option<&str>) {
    let mut options = RunOptions::new(Settings::default());
    options.console = Box::new(std::io::sink());
    options.tags = tags.map(str::to_owned);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let start = Instant::now();
    let summary = runtime.block_on(run(options)).expect("the run starts");
    let elapsed = start.elapsed();
    assert!(
        !summary.failed() && summary.passed_steps > 0,
        "the suite failed: {summary:?}"
    );
    println!("elapsed_us={}", elapsed.as_micros());
}
