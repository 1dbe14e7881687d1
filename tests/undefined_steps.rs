//! A step that matches no step definition fails the run: a misspelt step must never pass
//! as "skipped". The only scenarios a run may skip are those it leaves out on purpose
//! (`@mail` without a mailbox), which it announces.

use crate::common;

use std::path::PathBuf;

use cognito_e2e::{run, MailboxSpec, RunOptions, RunSummary, Settings};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs one fixture on the embedded target: the summary and what the console showed.
async fn run_fixture(name: &str, mailbox: MailboxSpec) -> (RunSummary, String) {
    let captured = common::Captured::default();
    let mut options = RunOptions::new(Settings {
        mailbox,
        ..Settings::default()
    });
    options.features = fixture(name);
    options.console = Box::new(captured.clone());
    options.color = false;
    let summary = run(options).await.expect("the run starts");
    (summary, captured.text())
}

// One test, so the runs happen one after another: a run owns the process's target.
#[tokio::test]
async fn an_undefined_step_fails_the_run_unless_its_scenario_is_left_out_on_purpose() {
    let _turn = common::one_run_at_a_time().await;
    let (summary, console) = run_fixture("typo.feature", MailboxSpec::Outbox).await;
    assert_eq!(
        console.lines().next(),
        Some(
            "Running 1 scenario against the embedded emulator (us-east-1); \
             mail is read from the embedded emulator's outbox."
        )
    );
    assert!(summary.failed(), "{summary:?}");
    assert_eq!(summary.undefined_steps, 1, "{summary:?}");
    assert_eq!(summary.ambiguous_steps, 0, "{summary:?}");
    assert_eq!(summary.failed_steps, 1, "{summary:?}");
    assert_eq!(summary.passed_steps, 2, "{summary:?}");
    assert_eq!(summary.skipped_steps, 0, "{summary:?}");
    assert!(console.contains("alice signz up"), "{console}");
    assert!(
        console.contains("Step doesn't match any function"),
        "{console}"
    );

    let (summary, _) = run_fixture("typo_in_mail_scenario.feature", MailboxSpec::Outbox).await;
    assert!(summary.failed(), "{summary:?}");
    assert_eq!(summary.undefined_steps, 1, "{summary:?}");

    // Without a mailbox the @mail scenario is left out, as the run announces: nothing
    // of it runs, so nothing of it can fail.
    let (summary, console) = run_fixture("typo_in_mail_scenario.feature", MailboxSpec::None).await;
    assert!(!summary.failed(), "{summary:?}");
    assert_eq!(summary.skipped_for_mail, 1, "{summary:?}");
    assert_eq!(summary.undefined_steps, 0, "{summary:?}");
    assert_eq!(
        console.lines().next(),
        Some(
            "Running 0 scenarios against the embedded emulator (us-east-1); \
             no mail can be read, so 1 @mail scenario(s) are left out."
        )
    );
    assert!(
        console.contains("@mail scenarios are left out"),
        "{console}"
    );
}
