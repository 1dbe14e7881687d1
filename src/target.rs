//! Targets: what answers the AWS calls, and where the mail is read. A [`Target`] builds
//! the SDK clients (aws-config; steps never speak HTTP to AWS APIs by hand), the
//! mailbox, and knows where the pool's signing keys are published.
//!
//! | target | AWS calls go to | mail is read from (`--mailbox`) |
//! | --- | --- | --- |
//! | `embedded` | the emulator, started in this process | `outbox`: its outbox, directly; or Mailpit, or nowhere |
//! | `endpoint` | any AWS-compatible endpoint (`--endpoint`, `AWS_ENDPOINT_URL`) | `outbox`: `GET /_aws/ses` there; or Mailpit, or nowhere |
//! | `container` (feature `container`) | the emulator's image, started with testcontainers | `outbox`: `GET /_aws/ses` on the mapped port; or Mailpit, or nowhere |
//! | `aws` (feature `aws`) | real AWS: standard credential chain, explicit opt-in | `sqs:URL`: the queue SES receiving fills; or Mailpit, or nowhere |
//!
//! An SQS inbox is read only on `aws`, and there is no outbox on `aws`: elsewhere these
//! give a mailbox that cannot receive, and `@mail` scenarios are left out.
//!
//! Only the embedded target has the harness's Lambda trigger functions
//! ([`crate::triggers`]); elsewhere `@embedded-triggers` scenarios are left out.

use std::sync::Arc;
use std::time::Duration;

use aws_config::SdkConfig;
use cognito_emulator::{Emulator, EmulatorHandle};

use crate::error::{Error, Result};
use crate::mailbox::{embedded::EmbeddedMailbox, mailpit::MailpitMailbox, none::NoMailbox};
use crate::mailbox::{outbox::OutboxMailbox, Mailbox};
use crate::sdk_config::{endpoint_sdk_config, DEFAULT_REGION};
use crate::tokens::{fetch_jwks, Jwks};
use crate::triggers::Triggers;

/// Which kind of target to run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetKind {
    /// The emulator, started in this process (the default).
    Embedded,
    /// Any AWS-compatible endpoint (`AWS_ENDPOINT_URL` or `--endpoint`).
    Endpoint,
    /// The emulator's Docker image, started with testcontainers.
    #[cfg(feature = "container")]
    Container,
    /// Real AWS, through the standard credential chain. Needs an explicit opt-in.
    #[cfg(feature = "aws")]
    Aws,
}

impl TargetKind {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Embedded => "embedded",
            Self::Endpoint => "endpoint",
            #[cfg(feature = "container")]
            Self::Container => "container",
            #[cfg(feature = "aws")]
            Self::Aws => "aws",
        }
    }
}

/// Where mail is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxSpec {
    /// The emulator's outbox (LocalStack-style `/_aws/ses`; read directly on the
    /// embedded target). AWS has none.
    Outbox,
    /// Mailpit's API at this base URL.
    Mailpit(String),
    /// An SQS queue fed by an SES receipt rule (through SNS): a real inbox.
    Sqs(String),
    /// No mailbox: `@mail` scenarios are left out of the run.
    None,
}

impl std::str::FromStr for MailboxSpec {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "outbox" => Ok(Self::Outbox),
            "none" => Ok(Self::None),
            _ => match s.strip_prefix("mailpit:") {
                Some(url) if url.starts_with("http") => Ok(Self::Mailpit(url.to_owned())),
                _ => match s.strip_prefix("sqs:") {
                    Some(url) if url.starts_with("http") => Ok(Self::Sqs(url.to_owned())),
                    _ => Err(format!(
                        "unknown mailbox {s:?}: expected outbox, mailpit:URL, sqs:QUEUE_URL or none"
                    )),
                },
            },
        }
    }
}

/// Everything needed to build a target.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The kind of target.
    pub kind: TargetKind,
    /// The endpoint URL (`endpoint` target).
    pub endpoint: Option<String>,
    /// Where mail is read.
    pub mailbox: MailboxSpec,
    /// The region; the SDK's own resolution (`AWS_REGION`, profile) when unset.
    pub region: Option<String>,
    /// The domain of the scenarios' mail addresses.
    pub mail_domain: String,
    /// How long to wait for a mail.
    pub mail_timeout: Duration,
    /// The emulator image (`container` target).
    pub image: String,
    /// Whether the `aws` target may create resources in a real account.
    pub allow_aws_resources: bool,
    /// Run against this existing pool and client instead of creating pools.
    pub existing_pool: Option<ExistingPool>,
    /// The SES identity the pool sends from (`arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS`);
    /// when unset, scenarios verify a fresh sender address of their own.
    pub ses_identity_arn: Option<String>,
}

/// A pool that already exists (a team's staging pool): the harness creates and deletes no
/// pools there, only the users it signs up.
#[derive(Debug, Clone)]
pub struct ExistingPool {
    /// The pool id.
    pub pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The client's secret, for clients that have one.
    pub client_secret: Option<crate::secrets::Secret>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            kind: TargetKind::Embedded,
            endpoint: None,
            mailbox: MailboxSpec::Outbox,
            region: None,
            mail_domain: "example.com".to_owned(),
            mail_timeout: Duration::from_secs(10),
            image: "cognito-emulator:local".to_owned(),
            allow_aws_resources: false,
            existing_pool: None,
            ses_identity_arn: None,
        }
    }
}

/// A target, ready for scenarios: SDK clients, mailbox, key source.
pub struct Target {
    kind: TargetKind,
    region: String,
    endpoint: Option<String>,
    cognito: aws_sdk_cognitoidentityprovider::Client,
    ses: aws_sdk_ses::Client,
    mailbox: Arc<dyn Mailbox>,
    http: reqwest::Client,
    mail_domain: String,
    mail_timeout: Duration,
    account_id: String,
    caller: Option<String>,
    existing_pool: Option<ExistingPool>,
    ses_identity_arn: Option<String>,
    triggers: Option<Triggers>,
    // Kept so the emulator lives as long as the target.
    _emulator: Option<EmulatorHandle>,
    #[cfg(feature = "container")]
    container: Option<crate::container::EmulatorContainer>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("kind", &self.kind)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("mailbox", &self.mailbox.describe())
            .field("account", &self.account_id)
            .field("caller", &self.caller)
            .field(
                "existing_pool",
                &self.existing_pool.as_ref().map(|p| &p.pool_id),
            )
            .finish()
    }
}

impl std::fmt::Display for Target {
    /// What answers the AWS calls, in words: "the embedded emulator (us-east-1)", "AWS
    /// account 123456789012 in eu-west-1, as arn:aws:sts::...".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let endpoint = self.endpoint.as_deref().unwrap_or("?");
        match self.kind {
            TargetKind::Embedded => write!(f, "the embedded emulator ({})", self.region)?,
            TargetKind::Endpoint => write!(f, "the endpoint {endpoint} ({})", self.region)?,
            #[cfg(feature = "container")]
            TargetKind::Container => write!(
                f,
                "the emulator's container at {endpoint} ({})",
                self.region
            )?,
            #[cfg(feature = "aws")]
            TargetKind::Aws => {
                write!(f, "AWS account {} in {}", self.account_id, self.region)?;
                if let Some(caller) = &self.caller {
                    write!(f, ", as {caller}")?;
                }
            }
        }
        if let Some(pool) = &self.existing_pool {
            write!(f, ", on the existing pool {}", pool.pool_id)?;
        }
        Ok(())
    }
}

impl Target {
    /// Builds the target `settings` describe; for `embedded` and `container`, starts the
    /// emulator.
    pub async fn start(settings: Settings) -> Result<Self> {
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Target {
                target: settings.kind.name(),
                reason: format!("HTTP client: {e}"),
            })?;
        let fixed_region = settings
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        match settings.kind {
            TargetKind::Embedded => {
                let triggers = Triggers::default();
                let mut emulator = triggers
                    .register(Emulator::new(), &fixed_region)
                    .region(fixed_region.clone());
                if let Some(dir) = key_cache() {
                    emulator = emulator.key_cache(dir);
                }
                let emulator = emulator.start().await.map_err(|e| Error::Target {
                    target: "embedded",
                    reason: e.to_string(),
                })?;
                let endpoint = emulator.endpoint();
                let mailbox: Arc<dyn Mailbox> = match &settings.mailbox {
                    MailboxSpec::Outbox => {
                        Arc::new(EmbeddedMailbox::new(emulator.outbox().clone()))
                    }
                    other => mailbox_for(other, &http, &endpoint),
                };
                let config = endpoint_sdk_config(Some(&fixed_region), &endpoint).await;
                let mut target = Self::from_config(
                    &config,
                    settings,
                    fixed_region,
                    Some(endpoint),
                    mailbox,
                    http,
                );
                target._emulator = Some(emulator);
                target.triggers = Some(triggers);
                Ok(target)
            }
            TargetKind::Endpoint => {
                let endpoint = settings
                    .endpoint
                    .clone()
                    .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
                    .ok_or_else(|| Error::Target {
                        target: "endpoint",
                        reason: "no endpoint: pass --endpoint URL or set AWS_ENDPOINT_URL".into(),
                    })?;
                let endpoint = endpoint.trim_end_matches('/').to_owned();
                let config = endpoint_sdk_config(settings.region.as_deref(), &endpoint).await;
                let region = config
                    .region()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| DEFAULT_REGION.to_owned());
                let mailbox = mailbox_for(&settings.mailbox, &http, &endpoint);
                Ok(Self::from_config(
                    &config,
                    settings,
                    region,
                    Some(endpoint),
                    mailbox,
                    http,
                ))
            }
            #[cfg(feature = "aws")]
            TargetKind::Aws => {
                crate::aws::check_opt_in(settings.allow_aws_resources)?;
                let config = crate::sdk_config::aws_sdk_config(settings.region.as_deref()).await;
                let region =
                    config
                        .region()
                        .map(ToString::to_string)
                        .ok_or_else(|| Error::Target {
                            target: "aws",
                            reason: "no region: set AWS_REGION, a profile region, or --region"
                                .into(),
                        })?;
                let caller = crate::aws::caller_identity(&config).await?;
                let mailbox: Arc<dyn Mailbox> = match &settings.mailbox {
                    MailboxSpec::Sqs(url) => Arc::new(crate::mailbox::sqs::SqsMailbox::new(
                        aws_sdk_sqs::Client::new(&config),
                        url,
                        crate::naming::run_prefix(),
                    )),
                    MailboxSpec::Mailpit(url) => Arc::new(MailpitMailbox::new(http.clone(), url)),
                    MailboxSpec::Outbox | MailboxSpec::None => Arc::new(NoMailbox::new(
                        "no inbox on AWS: pass --mailbox sqs:QUEUE_URL (see infra/aws/inbox.yaml)",
                    )),
                };
                let mut target = Self::from_config(&config, settings, region, None, mailbox, http);
                target.account_id = caller.account;
                target.caller = Some(caller.arn);
                Ok(target)
            }
            #[cfg(feature = "container")]
            TargetKind::Container => {
                let container = crate::container::EmulatorContainer::start(&settings.image).await?;
                let endpoint = container.endpoint().to_owned();
                let mailbox = mailbox_for(&settings.mailbox, &http, &endpoint);
                let config = endpoint_sdk_config(Some(&fixed_region), &endpoint).await;
                let mut target = Self::from_config(
                    &config,
                    settings,
                    fixed_region,
                    Some(endpoint),
                    mailbox,
                    http,
                );
                target.container = Some(container);
                Ok(target)
            }
        }
    }

    /// Stops what the target started: the embedded server, or the container (removed).
    pub async fn shut_down(self) {
        if let Some(emulator) = self._emulator {
            emulator.shutdown().await;
        }
        #[cfg(feature = "container")]
        if let Some(container) = self.container {
            container.remove().await;
        }
    }

    /// The emulator container, for the `container` target.
    #[cfg(feature = "container")]
    pub fn container(&self) -> Option<&crate::container::EmulatorContainer> {
        self.container.as_ref()
    }

    fn from_config(
        config: &SdkConfig,
        settings: Settings,
        region: String,
        endpoint: Option<String>,
        mailbox: Arc<dyn Mailbox>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            kind: settings.kind,
            region,
            endpoint,
            cognito: aws_sdk_cognitoidentityprovider::Client::new(config),
            ses: aws_sdk_ses::Client::new(config),
            mailbox,
            http,
            mail_domain: settings.mail_domain,
            mail_timeout: settings.mail_timeout,
            account_id: "000000000000".to_owned(),
            caller: None,
            existing_pool: settings.existing_pool,
            ses_identity_arn: settings.ses_identity_arn,
            triggers: None,
            _emulator: None,
            #[cfg(feature = "container")]
            container: None,
        }
    }

    /// The kind of target.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// The region the SDK clients call.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account id in ARNs the harness builds (the SES sender's): the caller's on
    /// AWS; on emulators, which accept any, LocalStack's and our emulator's default.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// Who the `aws` target runs as (the caller's ARN).
    pub fn caller(&self) -> Option<&str> {
        self.caller.as_deref()
    }

    /// The existing pool to run against, if any.
    pub fn existing_pool(&self) -> Option<&ExistingPool> {
        self.existing_pool.as_ref()
    }

    /// The SES identity ARN pools send from, when one is configured.
    pub fn ses_identity_arn(&self) -> Option<&str> {
        self.ses_identity_arn.as_deref()
    }

    /// The harness's own Lambda trigger functions and their per-pool rules: only on the
    /// embedded target, where they run in this process.
    pub fn triggers(&self) -> Option<&Triggers> {
        self.triggers.as_ref()
    }

    /// The endpoint URL, for targets that have one.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The Cognito user pools client.
    pub fn cognito(&self) -> &aws_sdk_cognitoidentityprovider::Client {
        &self.cognito
    }

    /// The SES client.
    pub fn ses(&self) -> &aws_sdk_ses::Client {
        &self.ses
    }

    /// Where mail is read.
    pub fn mailbox(&self) -> &dyn Mailbox {
        self.mailbox.as_ref()
    }

    /// The domain of scenario mail addresses.
    pub fn mail_domain(&self) -> &str {
        &self.mail_domain
    }

    /// How long to wait for a mail.
    pub fn mail_timeout(&self) -> Duration {
        self.mail_timeout
    }

    /// The HTTP client for non-AWS-API requests (JWKS, mailboxes, verification links).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The `iss` of the pool's tokens: AWS's URL, whatever the target.
    pub fn issuer(&self, pool_id: &str) -> String {
        format!(
            "https://cognito-idp.{}.amazonaws.com/{pool_id}",
            self.region
        )
    }

    /// The pool's signing keys. An emulator publishes them at its own endpoint (the
    /// issuer URL names AWS, where the emulator does not live); AWS at the issuer.
    pub async fn jwks(&self, pool_id: &str) -> Result<Jwks> {
        let base = match &self.endpoint {
            Some(endpoint) => format!("{endpoint}/{pool_id}"),
            None => self.issuer(pool_id),
        };
        Ok(fetch_jwks(&self.http, &format!("{base}/.well-known/jwks.json")).await?)
    }
}

/// The mailbox `spec` names, for a target reached at `endpoint`.
fn mailbox_for(spec: &MailboxSpec, http: &reqwest::Client, endpoint: &str) -> Arc<dyn Mailbox> {
    match spec {
        MailboxSpec::Outbox => Arc::new(OutboxMailbox::new(http.clone(), endpoint)),
        MailboxSpec::Mailpit(url) => Arc::new(MailpitMailbox::new(http.clone(), url)),
        MailboxSpec::None => Arc::new(NoMailbox::new("--mailbox none")),
        MailboxSpec::Sqs(_) => Arc::new(NoMailbox::new(
            "an SQS inbox is read only on the aws target",
        )),
    }
}

/// reqwest is built without a default TLS backend; use the SDK's (rustls + ring).
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Where the embedded emulator keeps signing keys between runs, so that a run generates
/// only the keys the cache lacks (each cached key serves one pool per run):
/// `COGNITO_E2E_KEY_CACHE`, `off` for none; by default `cognito-e2e-key-cache` in the
/// system's temporary directory.
fn key_cache() -> Option<std::path::PathBuf> {
    match std::env::var_os("COGNITO_E2E_KEY_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(v.into()),
        _ => Some(std::env::temp_dir().join("cognito-e2e-key-cache")),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "aws")]
    #[tokio::test]
    async fn the_aws_target_refuses_without_the_opt_in() {
        use super::{Settings, Target, TargetKind};

        let settings = Settings {
            kind: TargetKind::Aws,
            ..Settings::default()
        };
        let err = Target::start(settings).await.unwrap_err().to_string();
        assert!(err.contains("--allow-aws-resources"), "{err}");
        assert!(err.contains(crate::aws::OPT_IN_ENV), "{err}");
    }
}
