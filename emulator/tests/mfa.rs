//! MFA through the AWS SDK for Rust: the pool's configuration, an authenticator app set
//! up by access token or in the middle of a sign-in, codes from totp-rs as an app makes
//! them, e-mailed codes read from the outbox, and the challenges each sign-in flow
//! meets. The emulator runs on a manual clock, so that codes of different 30-second
//! steps can be made.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, EmailConfigurationType, EmailMfaConfigType,
    EmailMfaSettingsType, EmailSendingAccountType, ExplicitAuthFlowsType,
    SoftwareTokenMfaConfigType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
    VerifySoftwareTokenResponseType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use cognito_emulator::clock::{Clock, ManualClock};
use cognito_emulator::Emulator;
use common::{app_client, confirmed_user, error, start_with, PW};
use totp_rs::{Algorithm, Secret, TOTP};

/// The code an authenticator app shows for `secret_code` at the emulator's time.
fn app_code(secret_code: &str, clock: &ManualClock) -> String {
    let secret = Secret::Encoded(secret_code.to_owned()).to_bytes().unwrap();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret)
        .unwrap()
        .generate((clock.now_millis() / 1000) as u64)
}

async fn emulator() -> (cognito_emulator::EmulatorHandle, Cognito, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::starting_now());
    let (handle, cognito) = start_with(Emulator::new().clock(clock.clone())).await;
    (handle, cognito, clock)
}

/// A pool that mails through SES (as e-mail MFA needs), and a client for password
/// sign-in; the user `name` is confirmed, with a verified address.
async fn pool_with_user(cognito: &Cognito, name: &str) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("mfa")
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn("arn:aws:ses:us-east-1:000000000000:identity/auth@example.com")
                .from("auth@example.com")
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
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
    )
    .await;
    confirmed_user(cognito, &pool, name, Some(&format!("{name}@example.com"))).await;
    (pool, client)
}

async fn password_sign_in(
    cognito: &Cognito,
    client: &str,
    name: &str,
) -> aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput {
    cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(client)
        .auth_parameters("USERNAME", name)
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap()
}

async fn set_mfa(cognito: &Cognito, pool: &str, mode: UserPoolMfaType, email: bool) {
    let mut set = cognito
        .set_user_pool_mfa_config()
        .user_pool_id(pool)
        .mfa_configuration(mode)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        );
    if email {
        set = set.email_mfa_configuration(
            EmailMfaConfigType::builder()
                .subject("Your code")
                .message("Sign in with {####}.")
                .build(),
        );
    }
    set.send().await.unwrap();
}

#[tokio::test]
async fn the_pool_mfa_configuration_is_set_read_and_checked() {
    let (_e, cognito, _clock) = emulator().await;
    let (pool, _) = pool_with_user(&cognito, "ann").await;

    let off = cognito
        .get_user_pool_mfa_config()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(off.mfa_configuration, Some(UserPoolMfaType::Off));

    let refused = cognito
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(refused.0, "InvalidParameterException");

    set_mfa(&cognito, &pool, UserPoolMfaType::Optional, true).await;
    let got = cognito
        .get_user_pool_mfa_config()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_configuration, Some(UserPoolMfaType::Optional));
    assert!(got.software_token_mfa_configuration.unwrap().enabled);
    assert_eq!(
        got.email_mfa_configuration.unwrap().message.as_deref(),
        Some("Sign in with {####}.")
    );
    let described = cognito
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(described.mfa_configuration, Some(UserPoolMfaType::Optional));
}

#[tokio::test]
async fn an_authenticator_app_set_up_by_access_token_guards_every_later_sign_in() {
    let (_e, cognito, clock) = emulator().await;
    let (pool, client) = pool_with_user(&cognito, "bea").await;
    set_mfa(&cognito, &pool, UserPoolMfaType::Optional, false).await;

    // OPTIONAL, and nothing set up yet: the password is enough.
    let first = password_sign_in(&cognito, &client, "bea").await;
    let access = first.authentication_result.unwrap().access_token.unwrap();

    let secret = cognito
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap()
        .secret_code
        .unwrap();
    assert_eq!(
        secret.len(),
        52,
        "AWS's secret codes are 52 base32 characters"
    );

    let wrong = cognito
        .verify_software_token()
        .access_token(&access)
        .user_code("000000")
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        wrong,
        (
            "EnableSoftwareTokenMFAException".into(),
            "Code mismatch and fail enable Software Token MFA".into()
        )
    );
    let verified = cognito
        .verify_software_token()
        .access_token(&access)
        .user_code(app_code(&secret, &clock))
        .friendly_device_name("phone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        verified.status,
        Some(VerifySoftwareTokenResponseType::Success)
    );

    cognito
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let me = cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.user_mfa_setting_list.unwrap_or_default(),
        ["SOFTWARE_TOKEN_MFA"]
    );
    assert_eq!(
        me.preferred_mfa_setting.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );

    // The next sign-in asks for the app's code.
    clock.advance(Duration::from_secs(30));
    let challenged = password_sign_in(&cognito, &client, "bea").await;
    assert_eq!(
        challenged.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    assert_eq!(
        challenged.challenge_parameters.unwrap()["FRIENDLY_DEVICE_NAME"],
        "phone"
    );
    let session = challenged.session.unwrap();
    let answer = |code: String| {
        cognito
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(&session)
            .challenge_responses("USERNAME", "bea")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
    };
    let mismatch = answer("123456".into()).await.map_err(error).unwrap_err();
    assert_eq!(
        mismatch,
        (
            "CodeMismatchException".into(),
            "Invalid code received for user".into()
        )
    );
    // A mistyped code leaves the session standing.
    let code = app_code(&secret, &clock);
    let tokens = answer(code.clone()).await.unwrap();
    assert!(tokens.authentication_result.unwrap().id_token.is_some());

    // The same code, used once, is refused the second time.
    let again = password_sign_in(&cognito, &client, "bea").await;
    let reused = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(again.session.unwrap())
        .challenge_responses("USERNAME", "bea")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(reused.0, "CodeMismatchException");
}

#[tokio::test]
async fn required_mfa_sets_up_an_app_in_the_middle_of_the_first_sign_in() {
    let (_e, cognito, clock) = emulator().await;
    let (pool, client) = pool_with_user(&cognito, "cid").await;
    set_mfa(&cognito, &pool, UserPoolMfaType::On, false).await;

    let out = password_sign_in(&cognito, &client, "cid").await;
    assert_eq!(out.challenge_name, Some(ChallengeNameType::MfaSetup));
    assert_eq!(
        out.challenge_parameters.unwrap()["MFAS_CAN_SETUP"],
        r#"["SOFTWARE_TOKEN_MFA"]"#
    );
    let associated = cognito
        .associate_software_token()
        .session(out.session.unwrap())
        .send()
        .await
        .unwrap();
    let verified = cognito
        .verify_software_token()
        .session(associated.session.unwrap())
        .user_code(app_code(associated.secret_code.as_deref().unwrap(), &clock))
        .send()
        .await
        .unwrap();
    assert_eq!(
        verified.status,
        Some(VerifySoftwareTokenResponseType::Success)
    );
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::MfaSetup)
        .session(verified.session.unwrap())
        .challenge_responses("USERNAME", "cid")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());

    // From now on the app is the user's factor, for the admin flow too.
    let admin = cognito
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "cid")
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("cid")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.preferred_mfa_setting.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
}

#[tokio::test]
async fn mailed_codes_and_a_choice_between_factors() {
    let (emulator, cognito, clock) = emulator().await;
    let (pool, client) = pool_with_user(&cognito, "dee").await;
    set_mfa(&cognito, &pool, UserPoolMfaType::Optional, true).await;
    cognito
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool)
        .username("dee")
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();

    let out = password_sign_in(&cognito, &client, "dee").await;
    assert_eq!(out.challenge_name, Some(ChallengeNameType::EmailOtp));
    let params = out.challenge_parameters.unwrap();
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "d***@e***");
    let mail = emulator
        .outbox()
        .to("dee@example.com")
        .pop()
        .expect("a code mail");
    assert_eq!(mail.subject.as_deref(), Some("Your code"));
    let body = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    let text = body
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_else(|| body.get_body().unwrap());
    let code = text
        .trim()
        .trim_start_matches("Sign in with ")
        .trim_end_matches('.')
        .to_owned();
    assert_eq!(code.len(), 8, "{text}");
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(out.session.unwrap())
        .challenge_responses("USERNAME", "dee")
        .challenge_responses("EMAIL_OTP_CODE", &code)
        .send()
        .await
        .unwrap();
    let access = done.authentication_result.unwrap().access_token.unwrap();

    // With an app as well and no preference, the user chooses.
    let secret = cognito
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap()
        .secret_code
        .unwrap();
    cognito
        .verify_software_token()
        .access_token(&access)
        .user_code(app_code(&secret, &clock))
        .send()
        .await
        .unwrap();
    cognito
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(30));
    let out = password_sign_in(&cognito, &client, "dee").await;
    assert_eq!(out.challenge_name, Some(ChallengeNameType::SelectMfaType));
    assert_eq!(
        out.challenge_parameters.unwrap()["MFAS_CAN_CHOOSE"],
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );
    let chosen = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::SelectMfaType)
        .session(out.session.unwrap())
        .challenge_responses("USERNAME", "dee")
        .challenge_responses("ANSWER", "SOFTWARE_TOKEN_MFA")
        .send()
        .await
        .unwrap();
    assert_eq!(
        chosen.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(chosen.session.unwrap())
        .challenge_responses("USERNAME", "dee")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", app_code(&secret, &clock))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());

    // Enabling a token that was never verified is refused.
    let (pool2, _) = pool_with_user(&cognito, "eve").await;
    let refused = cognito
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool2)
        .username("eve")
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        refused,
        (
            "InvalidParameterException".into(),
            "User has not verified software token mfa".into()
        )
    );
}
