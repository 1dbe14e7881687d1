//! A team's pre-sign-up trigger, on the `aws_lambda_events` types (the same function
//! body a `lambda_runtime` function would have): it confirms and verifies every address
//! at example.org and refuses sign-ups from example.net.
//!
//! One handler, run three ways: in-process by the emulator (`../pre_sign_up_trigger.rs`
//! and `tests/triggers.rs`), and behind the Lambda Invoke API by the trigger service
//! (`trigger-service/`, which docker compose runs beside the emulator).

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreSignup;
use serde_json::Value;

/// The function name the pool's `LambdaConfig.PreSignUp` names.
pub const PRE_SIGN_UP: &str = "arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up";

/// The handler: typed in, typed out, with the error a Lambda function would return.
pub async fn pre_sign_up(
    mut event: CognitoEventUserPoolsPreSignup,
) -> Result<CognitoEventUserPoolsPreSignup, String> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    if email.ends_with("@example.net") {
        return Err("sign-ups from example.net are closed".into());
    }
    if email.ends_with("@example.org") {
        event.response.auto_confirm_user = true;
        event.response.auto_verify_email = true;
    }
    Ok(event)
}

/// The handler as the emulator calls it: event JSON in, event JSON out.
pub async fn pre_sign_up_json(event: Value) -> Result<Value, String> {
    let typed = serde_json::from_value(event).map_err(|e| e.to_string())?;
    let answered = pre_sign_up(typed).await?;
    serde_json::to_value(answered).map_err(|e| e.to_string())
}
