//! `cargo run -- [OPTIONS] [FEATURES]`: run the features against a target.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use cognito_e2e::{run, MailboxSpec, RunOptions, Settings, TargetKind};

/// Acceptance tests for Amazon Cognito user pools: sign-up, the mailed code, login and
/// tokens, as Gherkin scenarios.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// What answers the AWS calls.
    #[arg(
        long,
        value_enum,
        env = "COGNITO_E2E_TARGET",
        default_value = "embedded"
    )]
    target: TargetKind,
    /// Endpoint URL for `--target endpoint` (else AWS_ENDPOINT_URL).
    #[arg(long, env = "COGNITO_E2E_ENDPOINT")]
    endpoint: Option<String>,
    /// Where mail is read: outbox, mailpit:URL or none.
    #[arg(long, env = "COGNITO_E2E_MAILBOX", default_value = "outbox")]
    mailbox: MailboxSpec,
    /// Region (else AWS_REGION or the profile's; us-east-1 for emulators).
    #[arg(long, env = "COGNITO_E2E_REGION")]
    region: Option<String>,
    /// Run only scenarios matching this tag expression, e.g. "@tutorial and not @admin".
    #[arg(long, short = 't', env = "COGNITO_E2E_TAGS")]
    tags: Option<String>,
    /// Write a JUnit XML report here.
    #[arg(long, env = "COGNITO_E2E_JUNIT")]
    junit: Option<PathBuf>,
    /// Write a Cucumber JSON report here.
    #[arg(long, env = "COGNITO_E2E_JSON")]
    json: Option<PathBuf>,
    /// Scenarios run at once.
    #[arg(long, env = "COGNITO_E2E_CONCURRENCY", default_value_t = 8)]
    concurrency: usize,
    /// Domain of the scenarios' mail addresses.
    #[arg(long, env = "COGNITO_E2E_MAIL_DOMAIN", default_value = "example.com")]
    mail_domain: String,
    /// Seconds to wait for a mail.
    #[arg(long, env = "COGNITO_E2E_MAIL_TIMEOUT", default_value_t = 10)]
    mail_timeout: u64,
    /// The emulator image for `--target container`.
    #[arg(
        long,
        env = "COGNITO_E2E_IMAGE",
        default_value = "cognito-emulator:local"
    )]
    image: String,
    /// Feature files or a folder (default: this project's features/).
    features: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings {
        kind: cli.target,
        endpoint: cli.endpoint,
        mailbox: cli.mailbox,
        region: cli.region,
        mail_domain: cli.mail_domain,
        mail_timeout: Duration::from_secs(cli.mail_timeout),
        image: cli.image,
    };
    let mut options = RunOptions::new(settings);
    options.tags = cli.tags;
    options.junit = cli.junit;
    options.json = cli.json;
    options.concurrency = cli.concurrency;
    if let Some(features) = cli.features {
        options.features = features;
    }
    let result = run(options).await;
    if let Ok(summary) = &result {
        if summary.skipped_for_mail > 0 {
            println!(
                "cognito-e2e: {} @mail scenario(s) were left out: no mailbox can receive mail",
                summary.skipped_for_mail
            );
        }
    }
    match result {
        Ok(summary) if summary.failed() => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-e2e: {e}");
            ExitCode::from(2)
        }
    }
}
