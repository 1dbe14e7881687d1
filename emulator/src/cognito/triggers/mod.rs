//! Lambda triggers: the pool's `LambdaConfig` names a function per trigger, and the
//! operations that fire a trigger call it with AWS's event and act on what it returns.
//!
//! - `invoke.rs`: how a call is made (in-process handler, or the Lambda Invoke API);
//! - `events.rs`: the events, with AWS's common part and each trigger's request and
//!   response defaults;
//! - `pre_sign_up.rs`: PreSignUp's event and verdict, for SignUp and AdminCreateUser;
//! - `token_claims.rs`: what a pre-token-generation trigger may change in the tokens.
//!
//! A pool with a trigger the emulator cannot call fails the operation with
//! `UnexpectedLambdaException`, never silently skipping the trigger; the log says which
//! trigger and how to configure it.

pub mod events;
mod invoke;
pub mod pre_sign_up;
pub mod token_claims;

pub use invoke::{Failure, Handler, HandlerFuture, Invoker, TIMEOUT};

use serde_json::Value;

use super::error::{CognitoError, CognitoResult};
use crate::generated::cognito::shapes::LambdaConfigType;

/// The triggers the emulator fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Before a user is created by SignUp or AdminCreateUser.
    PreSignUp,
    /// To write the text of a code or invitation mail.
    CustomMessage,
    /// After a user confirms sign-up or a password reset.
    PostConfirmation,
    /// Before a sign-in checks the password.
    PreAuthentication,
    /// After a sign-in succeeds.
    PostAuthentication,
    /// Before tokens are signed.
    PreTokenGeneration,
    /// To bring a user the pool does not know in from a legacy store.
    UserMigration,
    /// Custom authentication: what the next challenge is, or whether the user is in.
    DefineAuthChallenge,
    /// Custom authentication: the challenge's parameters and answer.
    CreateAuthChallenge,
    /// Custom authentication: whether the answer is right.
    VerifyAuthChallengeResponse,
}

impl Trigger {
    /// The name AWS gives the trigger in its error messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "PreSignUp",
            Self::CustomMessage => "CustomMessage",
            Self::PostConfirmation => "PostConfirmation",
            Self::PreAuthentication => "PreAuthentication",
            Self::PostAuthentication => "PostAuthentication",
            Self::PreTokenGeneration => "PreTokenGeneration",
            Self::UserMigration => "UserMigration",
            Self::DefineAuthChallenge => "DefineAuthChallenge",
            Self::CreateAuthChallenge => "CreateAuthChallenge",
            Self::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
        }
    }

    /// The function `config` names for this trigger, if any.
    pub fn arn(self, config: Option<&LambdaConfigType>) -> Option<String> {
        let c = config?;
        match self {
            Self::PreSignUp => c.pre_sign_up.clone(),
            Self::CustomMessage => c.custom_message.clone(),
            Self::PostConfirmation => c.post_confirmation.clone(),
            Self::PreAuthentication => c.pre_authentication.clone(),
            Self::PostAuthentication => c.post_authentication.clone(),
            Self::PreTokenGeneration => c
                .pre_token_generation_config
                .as_ref()
                .and_then(|p| p.lambda_arn.clone())
                .or_else(|| c.pre_token_generation.clone()),
            Self::UserMigration => c.user_migration.clone(),
            Self::DefineAuthChallenge => c.define_auth_challenge.clone(),
            Self::CreateAuthChallenge => c.create_auth_challenge.clone(),
            Self::VerifyAuthChallengeResponse => c.verify_auth_challenge_response.clone(),
        }
    }
}

/// The event version a pre-token-generation trigger gets: `V1_0` unless
/// `PreTokenGenerationConfig.LambdaVersion` says `V2_0` or `V3_0`.
pub fn token_event_version(config: Option<&LambdaConfigType>) -> &'static str {
    let version = config
        .and_then(|c| c.pre_token_generation_config.as_ref())
        .and_then(|p| p.lambda_version.as_ref())
        .map(|v| v.as_str().to_owned());
    match version.as_deref() {
        Some("V2_0") => "2",
        Some("V3_0") => "3",
        _ => "1",
    }
}

/// Calls `trigger`, if `config` names a function for it, with `event`; gives back the
/// event the function returned, or AWS's error for the operation that fired it.
pub fn fire(
    invoker: &Invoker,
    config: Option<&LambdaConfigType>,
    trigger: Trigger,
    event: Value,
) -> CognitoResult<Option<Value>> {
    let Some(arn) = trigger.arn(config) else {
        return Ok(None);
    };
    if !invoker.reaches(&arn) {
        tracing::error!(
            trigger = trigger.name(),
            function = %arn,
            "the pool has a trigger the emulator cannot call: start it with --lambda-endpoint URL (COGNITO_EMULATOR_LAMBDA_ENDPOINT) pointing at a Lambda Invoke API, or register an in-process handler with Emulator::trigger"
        );
        return Err(CognitoError::UnexpectedLambdaException(format!(
            "{} invocation failed: cognito-emulator has no Lambda endpoint or in-process handler for {arn}.",
            trigger.name()
        )));
    }
    match invoker.call(&arn, event) {
        Ok(returned) if returned.is_object() => Ok(Some(returned)),
        Ok(_) | Err(Failure::InvalidResponse) => Err(CognitoError::InvalidLambdaResponseException(
            "Unrecognizable lambda output".into(),
        )),
        Err(Failure::Function(message)) => Err(CognitoError::UserLambdaValidationException(
            format!("{} failed with error {message}.", trigger.name()),
        )),
        Err(Failure::Unreachable(why)) => {
            tracing::warn!(trigger = trigger.name(), function = %arn, %why, "trigger call failed");
            Err(CognitoError::UnexpectedLambdaException(format!(
                "{} invocation failed due to error {why}.",
                trigger.name()
            )))
        }
    }
}
