//! Choice-based and passwordless sign-in (`USER_AUTH`, `SELECT_CHALLENGE`, a mailed
//! `EMAIL_OTP`), and `GetTokensFromRefreshToken` with and without rotation, through the
//! AWS SDK for Rust.

use crate::common;

use aws_cognito_srp::{SrpClient, User};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, AuthFlowType, ChallengeNameType, EmailConfigurationType,
    EmailSendingAccountType, ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType,
    SignInPolicyType, UserPoolPolicyType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use cognito_emulator::EmulatorHandle;
use common::{app_client, confirmed_user, error, start, PW};

/// A pool that allows passwords and mailed codes as first factors, a client that
/// allows `USER_AUTH`, and the confirmed user `name` with a verified address.
async fn setup(cognito: &Cognito, name: &str) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("choice")
        .policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::Password)
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .build(),
                )
                .build(),
        )
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn("arn:aws:ses:us-east-1:000000000000:identity/auth@example.com")
                .build(),
        )
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
        &[
            ExplicitAuthFlowsType::AllowUserAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
    )
    .await;
    confirmed_user(cognito, &pool, name, Some(&format!("{name}@example.com"))).await;
    (pool, client)
}

/// The eight-digit code in the newest mail to `to`.
fn otp(emulator: &EmulatorHandle, to: &str) -> String {
    let mail = emulator.outbox().to(to).pop().expect("a code mail");
    let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    let text = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_else(|| parsed.get_body().unwrap());
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 8)
        .expect("an eight-digit code")
        .to_owned()
}

#[tokio::test]
async fn the_user_chooses_a_password_after_select_challenge() {
    let (_e, cognito) = start().await;
    let (_pool, client) = setup(&cognito, "amy").await;

    let out = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "amy")
        .send()
        .await
        .unwrap();
    assert_eq!(out.challenge_name, Some(ChallengeNameType::SelectChallenge));
    assert_eq!(
        out.available_challenges.unwrap_or_default(),
        [
            ChallengeNameType::PasswordSrp,
            ChallengeNameType::Password,
            ChallengeNameType::EmailOtp
        ]
    );
    let answer = |password: &str| {
        cognito
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(ChallengeNameType::SelectChallenge)
            .session(out.session.clone().unwrap())
            .challenge_responses("USERNAME", "amy")
            .challenge_responses("ANSWER", "PASSWORD")
            .challenge_responses("PASSWORD", password)
            .send()
    };
    let wrong = answer("Wr0ng!pass").await.map_err(error).unwrap_err();
    assert_eq!(
        wrong,
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    // A wrong password ends the sign-in: the session is used up.
    let used = answer(PW).await.map_err(error).unwrap_err();
    assert_eq!(used.0, "NotAuthorizedException");

    let out = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "amy")
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap();
    assert!(out.authentication_result.unwrap().access_token.is_some());
}

#[tokio::test]
async fn passwordless_sign_in_with_a_mailed_code() {
    let (emulator, cognito) = start().await;
    let (_pool, client) = setup(&cognito, "bo").await;

    let out = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "bo")
        .auth_parameters("PREFERRED_CHALLENGE", "EMAIL_OTP")
        .send()
        .await
        .unwrap();
    assert_eq!(out.challenge_name, Some(ChallengeNameType::EmailOtp));
    assert_eq!(
        out.challenge_parameters.unwrap()["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    let code = otp(&emulator, "bo@example.com");
    let mismatch = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(out.session.clone().unwrap())
        .challenge_responses("USERNAME", "bo")
        .challenge_responses("EMAIL_OTP_CODE", "00000000")
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(mismatch.0, "CodeMismatchException");
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(out.session.unwrap())
        .challenge_responses("USERNAME", "bo")
        .challenge_responses("EMAIL_OTP_CODE", code)
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.unwrap().id_token.is_some());
}

#[tokio::test]
async fn password_srp_as_the_preferred_first_factor() {
    let (_e, cognito) = start().await;
    let (pool, client) = setup(&cognito, "cy").await;
    let srp = SrpClient::new(User::new(&pool, "cy", PW), &client, None);
    let params = srp.get_auth_parameters();
    let out = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "cy")
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD_SRP")
        .auth_parameters("SRP_A", &params.a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name,
        Some(ChallengeNameType::PasswordVerifier)
    );
    let c = out.challenge_parameters.unwrap();
    let v = srp
        .verify(
            &c["SECRET_BLOCK"],
            &c["USER_ID_FOR_SRP"],
            &c["SALT"],
            &c["SRP_B"],
        )
        .unwrap();
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", "cy")
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", v.password_claim_secret_block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", v.password_claim_signature)
        .challenge_responses("TIMESTAMP", v.timestamp)
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());

    // A client that does not allow USER_AUTH refuses it.
    let legacy = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("legacy")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let refused = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&legacy)
        .auth_parameters("USERNAME", "cy")
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(refused.0, "InvalidParameterException");
}

#[tokio::test]
async fn refresh_tokens_rotate_where_the_client_says_so() {
    let (_e, cognito) = start().await;
    let (pool, client) = setup(&cognito, "dot").await;
    let sign_in = || {
        cognito
            .initiate_auth()
            .auth_flow(AuthFlowType::UserAuth)
            .client_id(&client)
            .auth_parameters("USERNAME", "dot")
            .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
            .auth_parameters("PASSWORD", PW)
            .send()
    };
    let refresh = sign_in()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .refresh_token
        .unwrap();

    // Without rotation: new id and access tokens, no new refresh token.
    let plain = cognito
        .get_tokens_from_refresh_token()
        .client_id(&client)
        .refresh_token(&refresh)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(plain.access_token.is_some());
    assert_eq!(plain.refresh_token, None);

    cognito
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let rotated = cognito
        .get_tokens_from_refresh_token()
        .client_id(&client)
        .refresh_token(&refresh)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let next = rotated.refresh_token.expect("a new refresh token");
    assert_ne!(next, refresh);
    let old = cognito
        .get_tokens_from_refresh_token()
        .client_id(&client)
        .refresh_token(&refresh)
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        old,
        (
            "NotAuthorizedException".into(),
            "Invalid Refresh Token".into()
        )
    );
    cognito
        .get_tokens_from_refresh_token()
        .client_id(&client)
        .refresh_token(&next)
        .send()
        .await
        .unwrap();
    // With rotation on, refreshing goes through GetTokensFromRefreshToken only.
    let initiate = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&client)
        .auth_parameters("REFRESH_TOKEN", &next)
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(initiate.0, "InvalidParameterException");
}
