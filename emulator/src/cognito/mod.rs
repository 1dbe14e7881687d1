//! Cognito user pools (in progress).
