//! A team's own trigger code, run in-process by the emulator: a pre-sign-up handler on
//! the `aws_lambda_events` types (the same function body a `lambda_runtime` function
//! would have), which confirms and verifies every address at example.org and refuses
//! sign-ups from example.net.
//!
//! `cargo run -p cognito-emulator --example pre_sign_up_trigger` signs up two users
//! through the AWS SDK and shows what the trigger did. The emulator's tests run the same
//! handler (`tests/triggers.rs`).

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

#[allow(dead_code)] // the tests include this file for its handler
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use aws_sdk_cognitoidentityprovider::types::{
        AttributeType, LambdaConfigType, UsernameAttributeType, VerifiedAttributeType,
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = cognito_emulator::Emulator::new()
        .trigger(PRE_SIGN_UP, pre_sign_up_json)
        .start()
        .await?;
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(aws_sdk_cognitoidentityprovider::config::BehaviorVersion::latest())
        .region(aws_sdk_cognitoidentityprovider::config::Region::new(
            "us-east-1",
        ))
        .endpoint_url(emulator.endpoint())
        .credentials_provider(aws_sdk_cognitoidentityprovider::config::Credentials::new(
            "test", "test", None, None, "example",
        ))
        .http_client(
            aws_smithy_http_client::Builder::new()
                .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                    aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
                ))
                .build_https(),
        )
        .build();
    let cognito = aws_sdk_cognitoidentityprovider::Client::from_conf(config);
    let pool = cognito
        .create_user_pool()
        .pool_name("example")
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .lambda_config(LambdaConfigType::builder().pre_sign_up(PRE_SIGN_UP).build())
        .send()
        .await?
        .user_pool
        .and_then(|p| p.id)
        .unwrap_or_default();
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .send()
        .await?
        .user_pool_client
        .and_then(|c| c.client_id)
        .unwrap_or_default();
    for email in ["ada@example.org", "bob@example.com", "eve@example.net"] {
        let outcome = cognito
            .sign_up()
            .client_id(&client)
            .username(email)
            .password("Aa123456!")
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(email)
                    .build()?,
            )
            .send()
            .await;
        match outcome {
            Ok(out) => println!("{email}: signed up, confirmed: {}", out.user_confirmed),
            Err(e) => {
                use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
                println!(
                    "{email}: refused: {}: {}",
                    e.code().unwrap_or("?"),
                    e.message().unwrap_or_default()
                );
            }
        }
    }
    emulator.shutdown().await;
    Ok(())
}
