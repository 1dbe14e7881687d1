//! What the SDK-driven test files share: an emulator with SDK clients pointed at it,
//! the code and message of a failed call, the code in a mail, and a token's claims.
#![allow(dead_code)] // each test file uses its own subset

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::{Emulator, EmulatorHandle};
use serde_json::Value;

/// A password that passes the default policy.
pub const PW: &str = "Aa123456!";

/// An emulator, and a Cognito client of the AWS SDK pointed at it.
pub async fn start() -> (EmulatorHandle, Cognito) {
    start_with(Emulator::new()).await
}

/// The emulator `builder` started (with a manual clock, say), and a Cognito client of
/// the AWS SDK pointed at it.
pub async fn start_with(builder: Emulator) -> (EmulatorHandle, Cognito) {
    let emulator = builder.start().await.expect("emulator");
    let client = sdk_client(&emulator.endpoint());
    (emulator, client)
}

/// A Cognito client of the AWS SDK pointed at `endpoint`.
pub fn sdk_client(endpoint: &str) -> Cognito {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(aws_sdk_cognitoidentityprovider::config::BehaviorVersion::latest())
        .region(aws_sdk_cognitoidentityprovider::config::Region::new(
            "us-east-1",
        ))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_cognitoidentityprovider::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .http_client(http)
        .build();
    Cognito::from_conf(config)
}

/// The code and message of a failed call.
pub fn error<E: ProvideErrorMetadata>(e: E) -> (String, String) {
    (
        e.code().unwrap_or_default().to_owned(),
        e.message().unwrap_or_default().to_owned(),
    )
}

/// The code in the newest mail to `to`, found where the default templates put it.
pub fn mailed_code(emulator: &EmulatorHandle, to: &str) -> String {
    let mail = emulator.outbox().to(to).pop().expect("a mail");
    let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    let text = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_else(|| parsed.get_body().unwrap());
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code in the mail")
        .to_owned()
}

/// The claims of a JWT, unverified (the tests that verify signatures do it themselves).
pub fn claims(token: &str) -> serde_json::Map<String, Value> {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// A new pool called `name` that verifies e-mail addresses by a mailed code; its id.
pub async fn email_verifying_pool(cognito: &Cognito, name: &str) -> String {
    cognito
        .create_user_pool()
        .pool_name(name)
        .auto_verified_attributes(
            aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

/// A client of `pool` named "app" that allows `flows` (none: AWS's default flows).
pub async fn app_client(
    cognito: &Cognito,
    pool: &str,
    flows: &[aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType],
) -> String {
    cognito
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("app")
        .set_explicit_auth_flows((!flows.is_empty()).then(|| flows.to_vec()))
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap()
}

/// A confirmed user `username` of `pool` with password [`PW`], made by an administrator
/// without an invitation; with a verified address when `email` is given.
pub async fn confirmed_user(cognito: &Cognito, pool: &str, username: &str, email: Option<&str>) {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
    let mut create = cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .message_action(MessageActionType::Suppress);
    if let Some(email) = email {
        for (name, value) in [("email", email), ("email_verified", "true")] {
            create = create.user_attributes(
                AttributeType::builder()
                    .name(name)
                    .value(value)
                    .build()
                    .unwrap(),
            );
        }
    }
    create.send().await.unwrap();
    cognito
        .admin_set_user_password()
        .user_pool_id(pool)
        .username(username)
        .password(PW)
        .permanent(true)
        .send()
        .await
        .unwrap();
}

/// The `oauth2` crate's HTTP, through reqwest, never following redirects (the token
/// endpoint must not redirect).
pub async fn oauth_http(req: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let (parts, body) = req.into_parts();
    let mut request = client
        .request(parts.method, parts.uri.to_string())
        .body(body);
    for (name, value) in &parts.headers {
        request = request.header(name, value);
    }
    let response = request.send().await?;
    let mut builder = oauth2::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    Ok(builder.body(response.bytes().await?.to_vec()).unwrap())
}
