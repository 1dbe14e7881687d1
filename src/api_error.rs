//! An AWS error as a step sees it: the operation, the error code and the service's
//! message. `When` steps keep it for a later `Then` to check; steps that expected success
//! turn it into an [`Error`].

use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::error::Error;

/// An AWS error as the SDK reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The error code (`UserNotConfirmedException`).
    pub code: String,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} from {}: {:?}",
            self.code, self.operation, self.message
        )
    }
}

impl ApiError {
    /// Reads code and message from an SDK error.
    pub fn from_sdk<E, R>(operation: &'static str, err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        match err {
            SdkError::ServiceError(service) => Self {
                operation,
                code: service.err().code().unwrap_or("Unknown").to_owned(),
                message: service.err().message().unwrap_or_default().to_owned(),
            },
            // No answer from the service: the transport's own text may quote the
            // request, so it is redacted like everything else the harness prints.
            other => Self {
                operation,
                code: "NoResponse".to_owned(),
                message: crate::secrets::redact(&DisplayErrorContext(other).to_string()),
            },
        }
    }

    /// As a harness error, for steps that expected success.
    pub fn into_error(self) -> Error {
        Error::Aws {
            operation: self.operation,
            code: self.code,
            message: self.message,
        }
    }
}
