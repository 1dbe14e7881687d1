//! `cargo run -- [OPTIONS] [FEATURES]`: run the features against a target.
//! `cargo run -- sweep --older-than 1h [--dry-run]`: remove the harness's leftover pools.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::Parser;
use cognito_e2e::secrets::Secret;
use cognito_e2e::{run, ExistingPool, MailboxSpec, RunOptions, Settings, Target, TargetKind};

/// Acceptance tests for Amazon Cognito user pools: sign-up, the mailed code, login and
/// tokens, as Gherkin scenarios.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    target: TargetArgs,
    /// Run only scenarios matching this tag expression, e.g. "@tutorial and not @admin".
    #[arg(long, short = 't', env = "COGNITO_E2E_TAGS")]
    tags: Option<String>,
    /// Write a JUnit XML report here.
    #[arg(long, env = "COGNITO_E2E_JUNIT")]
    junit: Option<PathBuf>,
    /// Write a Cucumber JSON report here.
    #[arg(long, env = "COGNITO_E2E_JSON")]
    json: Option<PathBuf>,
    /// Write an HTML report here: one self-contained page, failed scenarios open.
    #[arg(long, env = "COGNITO_E2E_HTML")]
    html: Option<PathBuf>,
    /// Scenarios run at once.
    #[arg(long, env = "COGNITO_E2E_CONCURRENCY", default_value_t = 8)]
    concurrency: usize,
    /// Run a failed scenario again up to N times before it counts as failed (--target aws
    /// only).
    #[arg(long, env = "COGNITO_E2E_RETRIES", default_value_t = 0)]
    retries: usize,
    /// Run only share K of N of the scenarios (e.g. 2/4), for CI jobs that split the suite.
    #[arg(long, env = "COGNITO_E2E_SHARD")]
    shard: Option<cognito_e2e::Shard>,
    /// Feature files or a folder (default: this project's features/).
    features: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Run the features against two or more targets, one after the other, and print a
    /// matrix of scenario × target; exits 1 when targets that both ran a scenario
    /// disagree on it.
    Compare {
        /// The targets: embedded, container, aws, or endpoint=URL, with options after
        /// commas (endpoint=http://localhost:5000,mailbox=none).
        #[arg(required = true, num_args = 2..)]
        targets: Vec<String>,
        /// The features (default: this project's features/).
        #[arg(long)]
        features: Option<PathBuf>,
        /// Only scenarios matching this tag expression.
        #[arg(long)]
        tags: Option<String>,
        /// Write the matrix as Markdown here.
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Write the matrix as HTML here.
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// List every step the features may use: its expression, an example sentence, where
    /// it is defined, the tags of the scenarios that use it, and the parameters' values.
    Steps {
        /// Print Markdown (as docs/steps.md) instead of text.
        #[arg(long)]
        markdown: bool,
    },
    /// Delete pools the harness left behind: named cognito-e2e-*, tagged cognito-e2e-run,
    /// and older than --older-than. Nothing else is touched.
    Sweep {
        /// Minimum age, e.g. 1h, 30m, 2days.
        #[arg(long, value_parser = humantime::parse_duration)]
        older_than: Duration,
        /// List what would be deleted; delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Where to run.
#[derive(Debug, clap::Args)]
struct TargetArgs {
    /// What answers the AWS calls.
    #[arg(
        long,
        value_enum,
        env = "COGNITO_E2E_TARGET",
        default_value = "embedded",
        global = true
    )]
    target: TargetKind,
    /// Endpoint URL for `--target endpoint` (else AWS_ENDPOINT_URL).
    #[arg(long, env = "COGNITO_E2E_ENDPOINT", global = true)]
    endpoint: Option<String>,
    /// Where mail is read: outbox, mailpit:URL, sqs:QUEUE_URL or none.
    #[arg(
        long,
        env = "COGNITO_E2E_MAILBOX",
        default_value = "outbox",
        global = true
    )]
    mailbox: MailboxSpec,
    /// Region (else AWS_REGION or the profile's; us-east-1 for emulators).
    #[arg(long, env = "COGNITO_E2E_REGION", global = true)]
    region: Option<String>,
    /// Domain of the scenarios' mail addresses (on AWS: your receiving test subdomain).
    #[arg(
        long,
        env = "COGNITO_E2E_MAIL_DOMAIN",
        default_value = "example.com",
        global = true
    )]
    mail_domain: String,
    /// Seconds to wait for a mail.
    #[arg(
        long,
        env = "COGNITO_E2E_MAIL_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    mail_timeout: u64,
    /// The emulator image for `--target container`.
    #[arg(
        long,
        env = "COGNITO_E2E_IMAGE",
        default_value = "cognito-emulator:local",
        global = true
    )]
    image: String,
    /// Allow `--target aws` to create (and delete) resources in the account.
    #[arg(long, env = "COGNITO_E2E_ALLOW_AWS_RESOURCES", global = true)]
    allow_aws_resources: bool,
    /// Run the user-flow scenarios against this existing pool (with --client-id).
    #[arg(
        long,
        env = "COGNITO_E2E_USER_POOL_ID",
        requires = "client_id",
        global = true
    )]
    user_pool_id: Option<String>,
    /// The existing pool's app client.
    #[arg(
        long,
        env = "COGNITO_E2E_CLIENT_ID",
        requires = "user_pool_id",
        global = true
    )]
    client_id: Option<String>,
    /// The app client's secret, if it has one (prefer the environment variable).
    #[arg(
        long,
        env = "COGNITO_E2E_CLIENT_SECRET",
        hide_env_values = true,
        global = true
    )]
    client_secret: Option<String>,
    /// The verified SES identity pools send from (arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS).
    #[arg(long, env = "COGNITO_E2E_SES_IDENTITY_ARN", global = true)]
    ses_identity_arn: Option<String>,
}

impl TargetArgs {
    fn settings(self) -> Settings {
        let existing_pool = self
            .user_pool_id
            .zip(self.client_id)
            .map(|(pool_id, client_id)| ExistingPool {
                pool_id,
                client_id,
                client_secret: self.client_secret.map(Secret::new),
            });
        Settings {
            kind: self.target,
            endpoint: self.endpoint,
            mailbox: self.mailbox,
            region: self.region,
            mail_domain: self.mail_domain,
            mail_timeout: Duration::from_secs(self.mail_timeout),
            image: self.image,
            allow_aws_resources: self.allow_aws_resources,
            existing_pool,
            ses_identity_arn: self.ses_identity_arn,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Steps { markdown }) = cli.command {
        let steps = cognito_e2e::vocabulary::steps();
        let out = if markdown {
            cognito_e2e::vocabulary::markdown(&steps)
        } else {
            cognito_e2e::vocabulary::text(&steps)
        };
        print!("{out}");
        return ExitCode::SUCCESS;
    }
    let settings = cli.target.settings();
    if let Some(Command::Compare {
        targets,
        features,
        tags,
        markdown,
        html,
    }) = cli.command
    {
        return compare(settings, targets, features, tags, markdown, html).await;
    }
    if let Some(Command::Sweep {
        older_than,
        dry_run,
    }) = cli.command
    {
        return sweep(settings, older_than, dry_run).await;
    }
    let mut options = RunOptions::new(settings);
    options.tags = cli.tags;
    options.junit = cli.junit;
    options.json = cli.json;
    options.html = cli.html;
    options.concurrency = cli.concurrency;
    options.retries = cli.retries;
    options.shard = cli.shard;
    if let Some(features) = cli.features {
        options.features = features;
    }
    let result = run(options).await;
    if let Ok(summary) = &result {
        if summary.undefined_steps > 0 {
            println!(
                "cognito-e2e: {} step(s) match no step definition: check their wording \
                 against src/steps/, or write the definition",
                summary.undefined_steps
            );
        }
        if summary.ambiguous_steps > 0 {
            println!(
                "cognito-e2e: {} step(s) match more than one step definition: make the \
                 definitions in src/steps/ tell them apart",
                summary.ambiguous_steps
            );
        }
        if summary.skipped_for_mail > 0 {
            println!(
                "cognito-e2e: {} @mail scenario(s) were left out: no mailbox can receive mail",
                summary.skipped_for_mail
            );
        }
        if summary.skipped_for_triggers > 0 {
            println!(
                "cognito-e2e: {} @embedded-triggers scenario(s) were left out: the harness's \
                 trigger functions run only in the embedded emulator",
                summary.skipped_for_triggers
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

async fn sweep(settings: Settings, older_than: Duration, dry_run: bool) -> ExitCode {
    let target = match Target::start(settings).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cognito-e2e: {e}");
            return ExitCode::from(2);
        }
    };
    println!("cognito-e2e sweep: looking for leftover pools in {target}");
    match cognito_e2e::sweep::sweep(target.cognito(), older_than, SystemTime::now(), dry_run).await
    {
        Ok(report) => {
            let verb = if dry_run {
                "would be deleted"
            } else {
                "deleted"
            };
            for (id, name) in &report.swept {
                println!("{id} ({name}) {verb}");
            }
            println!(
                "cognito-e2e sweep: {} pool(s) {verb}, {} left alone",
                report.swept.len(),
                report.kept
            );
            target.shut_down().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cognito-e2e sweep: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cognito-e2e compare`: the matrix on stdout (and in files), 1 on a disagreement.
async fn compare(
    base: Settings,
    targets: Vec<String>,
    features: Option<PathBuf>,
    tags: Option<String>,
    markdown: Option<PathBuf>,
    html: Option<PathBuf>,
) -> ExitCode {
    use cognito_e2e::compare;
    let parsed: Result<Vec<_>, _> = targets
        .iter()
        .map(|t| compare::parse_target(t, &base))
        .collect();
    let targets = match parsed {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let features = features.unwrap_or_else(cognito_e2e::runner::default_features);
    let matrix = match compare::compare(targets, features, tags).await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let text = matrix.markdown();
    println!("\n{text}");
    for (path, body) in [(markdown, text), (html, matrix.html())] {
        if let Some(path) = path {
            if let Err(e) = std::fs::write(&path, body) {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    if matrix.disagreements().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
