//! A team's own trigger code, run in-process by the emulator: the pre-sign-up handler of
//! `triggers/pre_sign_up.rs` (on the `aws_lambda_events` types), which confirms and
//! verifies every address at example.org and refuses sign-ups from example.net.
//!
//! `cargo run -p cognito-emulator --example pre_sign_up_trigger` signs up two users
//! through the AWS SDK and shows what the trigger did. The emulator's tests run the same
//! handler (`tests/triggers.rs`).

#[path = "triggers/pre_sign_up.rs"]
mod handler;
use handler::{pre_sign_up_json, PRE_SIGN_UP};

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
