//! The `aws` target's pieces: the explicit opt-in, and who the run acts as. Its SDK
//! configuration is [`crate::sdk_config::aws_sdk_config`].

use aws_config::SdkConfig;

use crate::api_error::ApiError;
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
        .map_err(|e| ApiError::from_sdk("GetCallerIdentity", &e).into_error())?;
    Ok(Caller {
        account: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opt_in_lets_it_through() {
        assert!(check_opt_in(true).is_ok());
    }

    #[test]
    fn without_the_opt_in_it_says_how_to_give_it() {
        let err = check_opt_in(false).unwrap_err().to_string();
        assert!(err.contains("--allow-aws-resources"), "{err}");
        assert!(err.contains(OPT_IN_ENV), "{err}");
    }
}
