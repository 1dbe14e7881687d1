//! Cognito's errors: the exception enum generated from the model
//! ([`crate::generated::cognito::CognitoError`]), with AWS's messages for the common ones.

pub use crate::generated::cognito::CognitoError;

impl CognitoError {
    /// `ResourceNotFoundException` for a pool id.
    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::ResourceNotFoundException(format!("User pool {pool_id} does not exist."))
    }

    /// `ResourceNotFoundException` for a client id.
    pub fn client_not_found(client_id: &str) -> Self {
        Self::ResourceNotFoundException(format!("User pool client {client_id} does not exist."))
    }

    /// `ResourceNotFoundException` for a group name.
    pub fn group_not_found() -> Self {
        Self::ResourceNotFoundException("Group not found.".into())
    }

    /// `ResourceNotFoundException` for a resource server's identifier.
    pub fn resource_server_not_found(identifier: &str) -> Self {
        Self::ResourceNotFoundException(format!("Resource server {identifier} does not exist."))
    }

    /// `ResourceNotFoundException` for an identity provider's name.
    pub fn provider_not_found(name: &str) -> Self {
        Self::ResourceNotFoundException(format!("Identity provider {name} does not exist."))
    }

    /// `UserNotFoundException`, AWS's wording.
    pub fn user_not_found() -> Self {
        Self::UserNotFoundException("User does not exist.".into())
    }

    /// `NotAuthorizedException` for a wrong username or password.
    pub fn bad_credentials() -> Self {
        Self::NotAuthorizedException("Incorrect username or password.".into())
    }

    /// `InvalidParameterException` for a parameter the model cannot describe (an entry
    /// of `AuthParameters`, say) that is missing.
    pub fn missing_parameter(name: &str) -> Self {
        Self::InvalidParameterException(format!("Missing required parameter {name}"))
    }
}

/// The result of a Cognito operation.
pub type CognitoResult<T> = Result<T, CognitoError>;
