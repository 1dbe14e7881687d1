//! `cognito-emulator`: the emulator as a server.

use std::net::SocketAddr;
use std::sync::Arc;

use clap::Parser;
use cognito_emulator::Emulator;

/// An Amazon Cognito user pools + SES emulator that really mails the confirmation code.
///
/// Point any AWS client at it (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`); read sent mail
/// at `GET /_aws/ses`.
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Args,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Exit 0 if an emulator accepts connections at ADDR, 1 if not: the container's
    /// health check (the image has no shell or curl).
    Probe {
        /// Address to probe.
        #[arg(default_value = "127.0.0.1:4566")]
        addr: SocketAddr,
    },
}

/// Serving options.
#[derive(Debug, clap::Args)]
struct Args {
    /// Address to listen on.
    #[arg(
        long,
        env = "COGNITO_EMULATOR_LISTEN",
        default_value = "127.0.0.1:4566"
    )]
    listen: SocketAddr,
    /// Region of requests that are not signed for one.
    #[arg(long, env = "COGNITO_EMULATOR_REGION", default_value = cognito_emulator::server::DEFAULT_REGION)]
    region: String,
    /// Account id in ARNs (12 digits).
    #[arg(long, env = "COGNITO_EMULATOR_ACCOUNT_ID", default_value = cognito_emulator::server::DEFAULT_ACCOUNT_ID)]
    account_id: String,
    /// Also deliver every mail by SMTP to HOST:PORT (e.g. Mailpit on 1025).
    #[arg(long, env = "COGNITO_EMULATOR_SMTP_RELAY", value_name = "HOST:PORT")]
    smtp_relay: Option<String>,
    /// Issue tokens whose `iss` is URL/POOL_ID instead of AWS's
    /// https://cognito-idp.REGION.amazonaws.com/POOL_ID, for clients that expect the issuer
    /// under the endpoint they call (pycognito, for one): pass the emulator's own URL.
    #[arg(long, env = "COGNITO_EMULATOR_ISSUER_BASE", value_name = "URL")]
    issuer_base: Option<String>,
    /// Call Lambda triggers through the AWS Lambda Invoke API at URL
    /// (POST URL/2015-03-31/functions/ARN/invocations).
    #[arg(long, env = "COGNITO_EMULATOR_LAMBDA_ENDPOINT", value_name = "URL")]
    lambda_endpoint: Option<String>,
    /// Keep signing keys in DIR across restarts: each cached key serves at most one pool
    /// per run, and only keys the cache lacks are generated.
    #[arg(long, env = "COGNITO_EMULATOR_KEY_CACHE", value_name = "DIR")]
    key_cache: Option<std::path::PathBuf>,
    /// Keep at most N mails in the outbox, dropping the oldest first.
    #[arg(
        long,
        env = "COGNITO_EMULATOR_OUTBOX_LIMIT",
        value_name = "N",
        default_value_t = 10_000
    )]
    outbox_limit: usize,
    /// Keep the state in DIR across restarts and crashes: every change is on disk before
    /// it is acknowledged. One emulator per DIR. Without it nothing is written to disk.
    #[arg(long, env = "COGNITO_EMULATOR_STATE_DIR", value_name = "DIR")]
    state_dir: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    if let Some(Command::Probe { addr }) = cli.command {
        return probe(addr).await;
    }
    match run(cli.serve).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("cognito-emulator: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn probe(addr: SocketAddr) -> std::process::ExitCode {
    let connect = tokio::net::TcpStream::connect(addr);
    match tokio::time::timeout(std::time::Duration::from_secs(2), connect).await {
        Ok(Ok(_)) => std::process::ExitCode::SUCCESS,
        _ => {
            eprintln!("cognito-emulator: nothing accepts connections at {addr}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> cognito_emulator::Result<()> {
    let mut emulator = Emulator::new()
        .listen(args.listen)
        .region(args.region)
        .account_id(args.account_id);
    emulator = emulator.outbox_limit(args.outbox_limit);
    if let Some(dir) = args.key_cache {
        emulator = emulator.key_cache(dir);
    }
    if let Some(dir) = args.state_dir {
        emulator = emulator.state_dir(dir);
    }
    if let Some(url) = args.lambda_endpoint {
        emulator = emulator.lambda_endpoint(url);
    }
    if let Some(base) = args.issuer_base {
        emulator = emulator.issuer_base(base);
    }
    if let Some(relay) = args.smtp_relay {
        emulator = emulator.relay(smtp_relay(&relay)?);
    }
    let handle = emulator.start().await?;
    println!("cognito-emulator listening on {}", handle.endpoint());
    shutdown_signal().await;
    tracing::info!("shutting down");
    handle.shutdown().await;
    Ok(())
}

#[cfg(feature = "smtp-relay")]
fn smtp_relay(
    spec: &str,
) -> cognito_emulator::Result<Arc<dyn cognito_emulator::mailer::MailRelay>> {
    let invalid = |reason: &str| cognito_emulator::Error::InvalidSetting {
        name: "smtp-relay",
        reason: format!("{spec:?}: {reason}"),
    };
    let (host, port) = spec
        .rsplit_once(':')
        .ok_or_else(|| invalid("expected HOST:PORT"))?;
    let port = port
        .parse()
        .map_err(|_| invalid("the port is not a number"))?;
    tracing::info!(relay = %spec, "relaying mail by SMTP");
    Ok(Arc::new(cognito_emulator::smtp::SmtpRelay::new(host, port)))
}

#[cfg(not(feature = "smtp-relay"))]
fn smtp_relay(_: &str) -> cognito_emulator::Result<Arc<dyn cognito_emulator::mailer::MailRelay>> {
    Err(cognito_emulator::Error::InvalidSetting {
        name: "smtp-relay",
        reason: "this build has no SMTP support (feature smtp-relay)".into(),
    })
}

/// Ctrl-C or SIGTERM (what `docker stop` sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
