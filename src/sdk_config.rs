//! The AWS SDK configuration every target builds its clients from. There is one HTTP/TLS
//! stack (hyper 1 with rustls and ring) for all of them. Emulators get fixed dummy
//! credentials, so a developer's real keys never go to a local server; a real account
//! gets the standard credential chain and retries for throttling.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cognitoidentityprovider::config::{Credentials, SharedHttpClient};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

/// The region emulators run in when none is set.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The SDK configuration the harness uses for an emulator at `endpoint`: for tests and
/// tools that set up state on an emulator before a run.
pub async fn emulator_sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    endpoint_sdk_config(Some(region), endpoint).await
}

/// The SDK configuration for an AWS-compatible endpoint (an emulator, moto, LocalStack),
/// with dummy credentials. Without `region`, the SDK's chain (environment, profile)
/// decides, and [`DEFAULT_REGION`] where it finds none.
pub async fn endpoint_sdk_config(region: Option<&str>, endpoint: &str) -> SdkConfig {
    let load = |region: Option<Region>| {
        // A plain-HTTP endpoint (a local emulator) needs no TLS: loading the system's
        // root certificates alone costs a third of a second in a debug build.
        let client = if endpoint.starts_with("http://") {
            plain_http_client()
        } else {
            http_client()
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(client)
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("test", "test", None, None, "cognito-e2e"));
        if let Some(region) = region {
            loader = loader.region(region);
        }
        loader.load()
    };
    let config = load(region.map(|r| Region::new(r.to_owned()))).await;
    if config.region().is_some() {
        return config;
    }
    load(Some(Region::new(DEFAULT_REGION))).await
}

/// The SDK configuration for a real account: credentials and region from the standard
/// chain (environment, profiles, SSO, instance roles), and the SDK's standard retry mode
/// with more attempts, so throttling is absorbed by backoff rather than by sleeps in
/// steps.
#[cfg(feature = "aws")]
pub async fn aws_sdk_config(region: Option<&str>) -> SdkConfig {
    use aws_config::retry::RetryConfig;

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client())
        .retry_config(RetryConfig::standard().with_max_attempts(6));
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    loader.load().await
}

/// The SDK's HTTP client for a plain-HTTP endpoint: hyper 1 without TLS.
fn plain_http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().build_http()
}

/// The SDK's HTTP client: hyper 1 with rustls and ring, the build's only TLS stack.
fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}
