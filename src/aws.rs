//! The `aws` target's pieces: the explicit opt-in, the SDK configuration for a real
//! account (standard credential chain, no endpoint override, retries for throttling),
//! and who the run acts as.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::error::{Error, Result};

/// The environment variable that, set to `1`, allows the `aws` target.
pub const OPT_IN_ENV: &str = "COGNITO_E2E_ALLOW_AWS_RESOURCES";

/// Refuses to go on unless the user allowed the run to create resources in AWS.
pub fn check_opt_in(allowed: bool) -> Result<()> {
    if allowed {
        return Ok(());
    }
    Err(Error::Target {
        target: "aws",
        reason: format!(
            "this creates user pools, users and SES identities in a real AWS account; \
             pass --allow-aws-resources or set {OPT_IN_ENV}=1 to allow it"
        ),
    })
}

/// The SDK configuration for a real account: credentials and region from the standard
/// chain (environment, profiles, SSO, instance roles), and the SDK's standard retry
/// mode with more attempts, so throttling is absorbed by backoff rather than by sleeps
/// in steps.
pub async fn sdk_config(region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(crate::target::sdk_http_client())
        .retry_config(RetryConfig::standard().with_max_attempts(6));
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    loader.load().await
}

/// Who the run acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// STS GetCallerIdentity: the account and principal, printed before anything is created.
pub async fn caller_identity(config: &SdkConfig) -> Result<Caller> {
    let out = aws_sdk_sts::Client::new(config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| crate::world::ApiError::from_sdk("GetCallerIdentity", &e).into_error())?;
    Ok(Caller {
        account: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Settings, Target, TargetKind};

    #[tokio::test]
    async fn the_aws_target_refuses_without_the_opt_in() {
        let settings = Settings {
            kind: TargetKind::Aws,
            ..Settings::default()
        };
        let err = Target::start(settings).await.unwrap_err().to_string();
        assert!(err.contains("--allow-aws-resources"), "{err}");
        assert!(err.contains(OPT_IN_ENV), "{err}");
    }

    #[test]
    fn the_opt_in_lets_it_through() {
        assert!(check_opt_in(true).is_ok());
    }
}
