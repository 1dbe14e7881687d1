//! The errors Cognito's API returns, by AWS's exception names. Each variant carries the
//! message AWS sends, so clients see the same `__type` and `message`.

/// Declares the enum with one variant per AWS exception, and its wire name.
macro_rules! cognito_errors {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// An error as Cognito reports it: the exception name and AWS's message.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum CognitoError {
            $($(#[$doc])* #[error("{0}")] $name(String),)*
        }

        impl CognitoError {
            /// The exception name, as sent in `__type` and `x-amzn-ErrorType`.
            pub fn code(&self) -> &'static str {
                match self { $(Self::$name(_) => stringify!($name),)* }
            }

            /// AWS's message.
            pub fn message(&self) -> &str {
                match self { $(Self::$name(m) => m,)* }
            }
        }
    };
}

cognito_errors! {
    /// A parameter is missing, malformed or not allowed here.
    InvalidParameterException,
    /// The pool, client or other resource does not exist.
    ResourceNotFoundException,
    /// The user does not exist (and the client does not hide that).
    UserNotFoundException,
    /// The username is taken.
    UsernameExistsException,
    /// The password breaks the pool's policy.
    InvalidPasswordException,
    /// The user has not confirmed sign-up.
    UserNotConfirmedException,
    /// Wrong credentials, a revoked token, or an action the user's state forbids.
    NotAuthorizedException,
    /// The code is not the one that was sent.
    CodeMismatchException,
    /// The code has expired or was replaced by a newer one.
    ExpiredCodeException,
    /// Too many attempts.
    LimitExceededException,
    /// Too many failed attempts at a code.
    TooManyFailedAttemptsException,
    /// An alias (e-mail) already belongs to another user.
    AliasExistsException,
    /// The pool has deletion protection on.
    InvalidUserPoolConfigurationException,
    /// The request body could not be read as the operation's input.
    SerializationException,
    /// The refresh token cannot be revoked (revocation is off for the client).
    UnsupportedTokenTypeException,
    /// The operation is not supported for this configuration.
    UnsupportedOperationException,
    /// An administrator reset the password; the user must choose a new one.
    PasswordResetRequiredException,
    /// The operation is not one Cognito has, or not one the emulator emulates.
    UnknownOperationException,
    /// The request body is larger than the emulator accepts.
    RequestEntityTooLargeException,
    /// The emulator itself failed.
    InternalErrorException,
}

impl CognitoError {
    /// `ResourceNotFoundException` for a pool id.
    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::ResourceNotFoundException(format!("User pool {pool_id} does not exist."))
    }

    /// `ResourceNotFoundException` for a client id.
    pub fn client_not_found(client_id: &str) -> Self {
        Self::ResourceNotFoundException(format!("User pool client {client_id} does not exist."))
    }

    /// `UserNotFoundException`, AWS's wording.
    pub fn user_not_found() -> Self {
        Self::UserNotFoundException("User does not exist.".into())
    }

    /// `NotAuthorizedException` for a wrong username or password.
    pub fn bad_credentials() -> Self {
        Self::NotAuthorizedException("Incorrect username or password.".into())
    }

    /// `InvalidParameterException` in the shape of AWS's input validation.
    /// `value` is `None` for members AWS does not echo (passwords and other secrets).
    pub fn validation(field: &str, value: Option<&str>, constraint: &str) -> Self {
        let value = value.map(|v| format!(" {v}")).unwrap_or_default();
        Self::InvalidParameterException(format!(
            "1 validation error detected: Value{value} at '{field}' failed to satisfy constraint: {constraint}"
        ))
    }
}

/// The result of a Cognito operation.
pub type CognitoResult<T> = Result<T, CognitoError>;
