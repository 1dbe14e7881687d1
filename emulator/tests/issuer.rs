//! Tokens' `iss`: AWS's `https://cognito-idp.{region}.amazonaws.com/{pool}` by default,
//! or `{base}/{pool}` when the emulator is told so, for clients such as pycognito that
//! expect the issuer under the endpoint they call. Either way the OpenID configuration
//! names the same issuer, and the emulator accepts its own access tokens.

use crate::common;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ExplicitAuthFlowsType};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use cognito_emulator::{Emulator, EmulatorHandle};
use common::{app_client, claims, confirmed_user, start_with, PW};

/// Signs a new user in; gives the pool id and the access token.
async fn signed_in(cognito: &Cognito) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("iss")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = app_client(
        cognito,
        &pool,
        &[ExplicitAuthFlowsType::AllowUserPasswordAuth],
    )
    .await;
    confirmed_user(cognito, &pool, "ivy", None).await;
    let access = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "ivy")
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    (pool, access)
}

async fn openid_issuer(emulator: &EmulatorHandle, pool: &str) -> String {
    let url = format!(
        "{}/{pool}/.well-known/openid-configuration",
        emulator.endpoint()
    );
    let body = reqwest::get(url).await.unwrap().text().await.unwrap();
    let config: serde_json::Value = serde_json::from_str(&body).unwrap();
    config["issuer"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_issuer_is_aws_by_default_and_the_given_base_when_asked() {
    let (emulator, cognito) = start_with(Emulator::new()).await;
    let (pool, access) = signed_in(&cognito).await;
    let aws = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}");
    assert_eq!(claims(&access)["iss"], aws.as_str());
    assert_eq!(openid_issuer(&emulator, &pool).await, aws);

    let (emulator, cognito) =
        start_with(Emulator::new().issuer_base("http://localhost:9229/")).await;
    let (pool, access) = signed_in(&cognito).await;
    let local = format!("http://localhost:9229/{pool}");
    assert_eq!(claims(&access)["iss"], local.as_str());
    assert_eq!(openid_issuer(&emulator, &pool).await, local);
    // The emulator accepts the tokens it issued under that issuer.
    let me = cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.username, "ivy");
}
