//! The emulator as real clients see it: every emulated operation driven through the AWS
//! SDK for Rust (`aws-sdk-cognitoidentityprovider`, `aws-sdk-ses`), asserting fields,
//! error codes and messages. `tutorial_end_to_end` is the post, step by step, with the
//! code read from the outbox by mailparse and the tokens verified by jsonwebtoken.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ChallengeNameType, DefaultEmailOptionType, EmailConfigurationType,
    EmailSendingAccountType, ExplicitAuthFlowsType, MessageActionType, UserStatusType,
    UsernameAttributeType, VerifiedAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_ses::types::{Body, Content, Destination, Message, RawMessage};
use aws_sdk_ses::Client as Ses;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::{Emulator, EmulatorHandle};
use mailparse::MailHeaderMap;
use serde_json::Value;

const PW: &str = "Aa123456!";

async fn start() -> (EmulatorHandle, Cognito, Ses) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::new().start().await.expect("emulator");
    let http = || {
        aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https()
    };
    let cognito = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(aws_sdk_cognitoidentityprovider::config::BehaviorVersion::latest())
        .region(aws_sdk_cognitoidentityprovider::config::Region::new(
            "us-east-1",
        ))
        .endpoint_url(emulator.endpoint())
        .credentials_provider(aws_sdk_cognitoidentityprovider::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .http_client(http())
        .build();
    let ses = aws_sdk_ses::Config::builder()
        .behavior_version(aws_sdk_ses::config::BehaviorVersion::latest())
        .region(aws_sdk_ses::config::Region::new("us-east-1"))
        .endpoint_url(emulator.endpoint())
        .credentials_provider(aws_sdk_ses::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .http_client(http())
        .build();
    (emulator, Cognito::from_conf(cognito), Ses::from_conf(ses))
}

/// The bare address in header `name` (`<a@b>` or `Name <a@b>` alike).
fn address(mail: &mailparse::ParsedMail<'_>, name: &str) -> Option<String> {
    let header = mail.headers.get_first_header(name)?;
    match mailparse::addrparse_header(header).ok()?.first()? {
        mailparse::MailAddr::Single(single) => Some(single.addr.clone()),
        mailparse::MailAddr::Group(_) => None,
    }
}

/// The code and message of a failed call.
fn error<E: ProvideErrorMetadata>(e: E) -> (String, String) {
    (
        e.code().unwrap_or_default().to_owned(),
        e.message().unwrap_or_default().to_owned(),
    )
}

/// An e-mail-as-username pool with a USER_PASSWORD_AUTH client.
async fn pool(cognito: &Cognito) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("p")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .username_attributes(UsernameAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("cli")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    (pool, client)
}

/// The code in the newest mail to `to`, found where the default template puts it.
fn mailed_code(emulator: &EmulatorHandle, to: &str) -> String {
    let mail = emulator.outbox().to(to).pop().expect("a mail");
    let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    let text = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_else(|| parsed.get_body().unwrap());
    let after = text
        .split("Your verification code is ")
        .nth(1)
        .expect("the template's text");
    after.split('.').next().unwrap().trim().to_owned()
}

async fn login(
    cognito: &Cognito,
    client: &str,
    user: &str,
    pw: &str,
) -> Result<
    aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput,
    (String, String),
> {
    cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(client)
        .auth_parameters("USERNAME", user)
        .auth_parameters("PASSWORD", pw)
        .send()
        .await
        .map_err(error)
}

fn claims(token: &str) -> serde_json::Map<String, Value> {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn tutorial_end_to_end() {
    let (emulator, cognito, ses) = start().await;
    let http = reqwest::Client::new();
    let sender = "allen@example.com";
    let alice = "alice@example.com";

    // Prerequisite: the sender is verified in SES by following the mailed link.
    ses.verify_email_identity()
        .email_address(sender)
        .send()
        .await
        .unwrap();
    let status = |s: &Ses| {
        let s = s.clone();
        async move {
            s.get_identity_verification_attributes()
                .identities(sender)
                .send()
                .await
                .unwrap()
                .verification_attributes()[sender]
                .verification_status()
                .as_str()
                .to_owned()
        }
    };
    assert_eq!(status(&ses).await, "Pending");
    let mail = emulator.outbox().to(sender).pop().unwrap();
    let link = mail
        .body
        .text_part
        .unwrap()
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .unwrap()
        .to_owned();
    assert!(http.get(&link).send().await.unwrap().status().is_success());
    assert_eq!(status(&ses).await, "Success");

    // 1. No pools yet.
    let listed = cognito
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert!(listed.user_pools().is_empty());

    // 2. The pool, with the SES sender.
    let arn = format!("arn:aws:ses:us-east-1:000000000000:identity/{sender}");
    let created = cognito
        .create_user_pool()
        .pool_name("helloWorld")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .username_attributes(UsernameAttributeType::Email)
        .email_configuration(
            EmailConfigurationType::builder()
                .source_arn(&arn)
                .reply_to_email_address(sender)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let pool = created.id().unwrap().to_owned();
    let (region, suffix) = pool.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert!(suffix.len() == 9 && suffix.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(
        created.arn(),
        Some(format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool}").as_str())
    );
    assert_eq!(
        created
            .verification_message_template()
            .unwrap()
            .default_email_option(),
        Some(&DefaultEmailOptionType::ConfirmWithCode)
    );
    let email = created.email_configuration().unwrap();
    assert_eq!(
        email.email_sending_account(),
        Some(&EmailSendingAccountType::CognitoDefault)
    );
    assert_eq!(email.source_arn(), Some(arn.as_str()));
    assert_eq!(email.reply_to_email_address(), Some(sender));
    let policy = created.policies().unwrap().password_policy().unwrap();
    assert_eq!(
        (
            policy.minimum_length(),
            policy.require_uppercase(),
            policy.require_lowercase(),
            policy.require_numbers(),
            policy.require_symbols(),
            policy.temporary_password_validity_days()
        ),
        (Some(8), true, true, true, true, 7)
    );

    // 3. Listed with its dates and an empty LambdaConfig.
    let listed = cognito
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    let entry = &listed.user_pools()[0];
    assert_eq!(
        (entry.id(), entry.name()),
        (Some(pool.as_str()), Some("helloWorld"))
    );
    assert!(
        entry.creation_date().is_some()
            && entry.last_modified_date().is_some()
            && entry.lambda_config().is_some()
    );

    // 4. The cli client.
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .explicit_auth_flows(ExplicitAuthFlowsType::UserPasswordAuth)
        .client_name("cli")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let client_id = client.client_id().unwrap().to_owned();
    assert!(
        client_id.len() == 26
            && client_id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert_eq!(
        client.explicit_auth_flows(),
        [ExplicitAuthFlowsType::UserPasswordAuth]
    );
    assert_eq!(client.refresh_token_validity(), 30);
    let units = client.token_validity_units().unwrap();
    assert!(
        units.access_token().is_none()
            && units.id_token().is_none()
            && units.refresh_token().is_none()
    );
    assert_eq!(client.enable_token_revocation(), Some(true));
    assert_eq!(client.allowed_o_auth_flows_user_pool_client(), Some(false));
    assert!(client.creation_date().is_some() && client.last_modified_date().is_some());

    // 5. Listed.
    let clients = cognito
        .list_user_pool_clients()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let c = &clients.user_pool_clients()[0];
    assert_eq!(
        (c.client_name(), c.user_pool_id(), c.client_id()),
        (Some("cli"), Some(pool.as_str()), Some(client_id.as_str()))
    );

    // Sign-up: unconfirmed, code sent by e-mail to the masked address.
    let signed = cognito
        .sign_up()
        .client_id(&client_id)
        .username(alice)
        .password(PW)
        .send()
        .await
        .unwrap();
    assert!(!signed.user_confirmed());
    assert!(uuid::Uuid::parse_str(signed.user_sub()).is_ok());
    let delivery = signed.code_delivery_details().unwrap();
    assert_eq!(delivery.attribute_name(), Some("email"));
    assert_eq!(delivery.destination(), Some("a***@e***"));
    assert_eq!(
        delivery.delivery_medium().map(|m| m.as_str()),
        Some("EMAIL")
    );
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username(alice)
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Unconfirmed));

    // Refused until confirmed.
    assert_eq!(
        login(&cognito, &client_id, alice, PW).await.unwrap_err(),
        (
            "UserNotConfirmedException".to_owned(),
            "User is not confirmed.".to_owned()
        )
    );

    // The mail: from the SES sender, Reply-To it, to alice, "Your verification code".
    let mail = emulator.outbox().to(alice).pop().unwrap();
    let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    assert_eq!(address(&parsed, "From").as_deref(), Some(sender));
    assert_eq!(address(&parsed, "Reply-To").as_deref(), Some(sender));
    assert_eq!(address(&parsed, "To").as_deref(), Some(alice));
    assert_eq!(
        parsed.headers.get_first_value("Subject").as_deref(),
        Some("Your verification code")
    );
    let code = mailed_code(&emulator, alice);
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));

    cognito
        .confirm_sign_up()
        .client_id(&client_id)
        .username(alice)
        .confirmation_code(&code)
        .send()
        .await
        .unwrap();
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username(alice)
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    assert!(user
        .user_attributes()
        .iter()
        .any(|a| a.name() == "email_verified" && a.value() == Some("true")));

    // Three tokens.
    let auth = login(&cognito, &client_id, alice, PW).await.unwrap();
    assert!(auth.challenge_parameters().is_some_and(|p| p.is_empty()));
    let result = auth.authentication_result().unwrap();
    assert_eq!(
        (result.expires_in(), result.token_type()),
        (3600, Some("Bearer"))
    );

    // Verified against the pool's JWKS, by kid, RS256.
    let jwks: Value = http
        .get(format!(
            "{}/{pool}/.well-known/jwks.json",
            emulator.endpoint()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let keys: HashMap<String, jsonwebtoken::DecodingKey> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kid"].as_str().unwrap().to_owned(),
                jsonwebtoken::DecodingKey::from_rsa_components(
                    k["n"].as_str().unwrap(),
                    k["e"].as_str().unwrap(),
                )
                .unwrap(),
            )
        })
        .collect();
    assert_eq!(keys.len(), 2);
    let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}");
    let verify = |token: &str| {
        let header = jsonwebtoken::decode_header(token).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.set_issuer(&[&iss]);
        v.validate_aud = false;
        jsonwebtoken::decode::<serde_json::Map<String, Value>>(
            token,
            &keys[&header.kid.clone().unwrap()],
            &v,
        )
        .unwrap();
        header.kid.unwrap()
    };
    let id_token = result.id_token().unwrap();
    let access_token = result.access_token().unwrap();
    assert_ne!(verify(id_token), verify(access_token), "two keys, two kids");

    // The claims TUTORIAL.md lists.
    let id = claims(id_token);
    let sub = signed.user_sub();
    for (claim, want) in [
        ("sub", Value::from(sub)),
        ("email_verified", true.into()),
        ("iss", iss.clone().into()),
        ("cognito:username", sub.into()),
        ("aud", client_id.clone().into()),
        ("token_use", "id".into()),
        ("email", alice.into()),
    ] {
        assert_eq!(id.get(claim), Some(&want), "id token {claim}");
    }
    for claim in ["origin_jti", "event_id", "auth_time", "iat", "exp", "jti"] {
        assert!(id.contains_key(claim), "id token {claim}");
    }
    assert_eq!(
        id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(),
        3600
    );
    let access = claims(access_token);
    for (claim, want) in [
        ("sub", Value::from(sub)),
        ("token_use", "access".into()),
        ("scope", "aws.cognito.signin.user.admin".into()),
        ("iss", iss.into()),
        ("client_id", client_id.clone().into()),
        ("username", sub.into()),
        ("origin_jti", id["origin_jti"].clone()),
    ] {
        assert_eq!(access.get(claim), Some(&want), "access token {claim}");
    }
    for claim in ["event_id", "auth_time", "exp", "iat", "jti"] {
        assert!(access.contains_key(claim), "access token {claim}");
    }
    assert!(!access.contains_key("aud"));

    // The refresh token: five parts, a JWE header.
    let refresh = result.refresh_token().unwrap();
    let parts: Vec<&str> = refresh.split('.').collect();
    assert_eq!(parts.len(), 5);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(
        header,
        serde_json::json!({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"})
    );

    // Discovery.
    let config: Value = http
        .get(format!(
            "{}/{pool}/.well-known/openid-configuration",
            emulator.endpoint()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    assert_eq!(
        config["issuer"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}")
    );
}

#[tokio::test]
async fn pools_and_clients_are_described_updated_listed_and_deleted() {
    let (_emulator, cognito, _) = start().await;
    for i in 0..7 {
        cognito
            .create_user_pool()
            .pool_name(format!("p{i}"))
            .send()
            .await
            .unwrap();
    }
    let mut pages = cognito
        .list_user_pools()
        .max_results(3)
        .into_paginator()
        .send();
    let mut seen = 0;
    while let Some(page) = pages.next().await {
        seen += page.unwrap().user_pools().len();
    }
    assert_eq!(seen, 7);

    let (pool, client) = pool(&cognito).await;
    cognito
        .update_user_pool()
        .user_pool_id(&pool)
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Off)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap();
    let described = cognito
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(
        described.auto_verified_attributes(),
        [VerifiedAttributeType::Email]
    );
    assert_eq!(
        described.username_attributes(),
        [UsernameAttributeType::Email],
        "fixed at creation"
    );

    let updated = cognito
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .client_name("renamed")
        .access_token_validity(2)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        (updated.client_name(), updated.access_token_validity()),
        (Some("renamed"), Some(2))
    );
    assert!(
        updated.explicit_auth_flows().is_empty(),
        "an update resets what it leaves out"
    );
    let described = cognito
        .describe_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described.client_name(), Some("renamed"));

    cognito
        .delete_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .describe_user_pool_client()
            .user_pool_id(&pool)
            .client_id(&client)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "ResourceNotFoundException".to_owned(),
            format!("User pool client {client} does not exist.")
        )
    );
    cognito
        .delete_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .describe_user_pool()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "ResourceNotFoundException".to_owned(),
            format!("User pool {pool} does not exist.")
        )
    );
}

#[tokio::test]
async fn refusals_carry_aws_codes_and_messages() {
    let (emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    let e = error(
        cognito
            .sign_up()
            .client_id("nosuchclient0000000000000a")
            .username("a@example.com")
            .password(PW)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "ResourceNotFoundException".to_owned(),
            "User pool client nosuchclient0000000000000a does not exist.".to_owned()
        )
    );
    let e = error(
        cognito
            .sign_up()
            .client_id(&client)
            .username("bob")
            .password(PW)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "InvalidParameterException".to_owned(),
            "Username should be an email.".to_owned()
        )
    );
    let e = error(
        cognito
            .sign_up()
            .client_id(&client)
            .username("b@example.com")
            .password("aa123456!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "InvalidPasswordException".to_owned(),
            "Password did not conform with policy: Password must have uppercase characters"
                .to_owned()
        )
    );
    cognito
        .sign_up()
        .client_id(&client)
        .username("b@example.com")
        .password(PW)
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .sign_up()
            .client_id(&client)
            .username("b@example.com")
            .password(PW)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "UsernameExistsException".to_owned(),
            "An account with the given email already exists.".to_owned()
        )
    );
    let code = mailed_code(&emulator, "b@example.com");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let e = error(
        cognito
            .confirm_sign_up()
            .client_id(&client)
            .username("b@example.com")
            .confirmation_code(wrong)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "CodeMismatchException".to_owned(),
            "Invalid verification code provided, please try again.".to_owned()
        )
    );
    let e = error(
        cognito
            .confirm_sign_up()
            .client_id(&client)
            .username("nobody@example.com")
            .confirmation_code(wrong)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "UserNotFoundException".to_owned(),
            "Username/client id combination not found.".to_owned()
        )
    );
    cognito
        .admin_confirm_sign_up()
        .user_pool_id(&pool)
        .username("b@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        login(&cognito, &client, "b@example.com", "Wrong123!")
            .await
            .unwrap_err(),
        (
            "NotAuthorizedException".to_owned(),
            "Incorrect username or password.".to_owned()
        )
    );
    assert_eq!(
        login(&cognito, &client, "nobody@example.com", PW)
            .await
            .unwrap_err(),
        (
            "UserNotFoundException".to_owned(),
            "User does not exist.".to_owned()
        )
    );
    let srp_only = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    assert_eq!(
        login(&cognito, &srp_only, "b@example.com", PW)
            .await
            .unwrap_err(),
        (
            "InvalidParameterException".to_owned(),
            "USER_PASSWORD_AUTH flow not enabled for this client".to_owned()
        )
    );
    let e = error(
        cognito
            .admin_get_user()
            .user_pool_id(&pool)
            .username("nobody@example.com")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "UserNotFoundException".to_owned(),
            "User does not exist.".to_owned()
        )
    );
}

#[tokio::test]
async fn admin_created_users_choose_a_password_at_first_sign_in() {
    let (emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    let created = cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("carol@example.com")
        .temporary_password("Temp1234!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.user().unwrap().user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    let invite = emulator.outbox().to("carol@example.com").pop().unwrap();
    assert_eq!(invite.subject.as_deref(), Some("Your temporary password"));

    let challenge = cognito
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "carol@example.com")
        .auth_parameters("PASSWORD", "Temp1234!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let done = cognito
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool)
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "carol@example.com")
        .challenge_responses("NEW_PASSWORD", "Chosen123!")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().unwrap().id_token().is_some());

    // The same through the public flow, for a second user.
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("dan@example.com")
        .temporary_password("Temp1234!")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    assert!(
        emulator.outbox().to("dan@example.com").is_empty(),
        "SUPPRESS sends nothing"
    );
    let challenge = login(&cognito, &client, "dan@example.com", "Temp1234!")
        .await
        .unwrap();
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "dan@example.com")
        .challenge_responses("NEW_PASSWORD", "Chosen123!")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());

    cognito
        .admin_update_user_attributes()
        .user_pool_id(&pool)
        .username("dan@example.com")
        .user_attributes(
            AttributeType::builder()
                .name("name")
                .value("Dan")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let listed = cognito
        .list_users()
        .user_pool_id(&pool)
        .filter("name = \"Dan\"")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.users().len(), 1);
    assert_eq!(
        listed.users()[0].user_status(),
        Some(&UserStatusType::Confirmed)
    );
    cognito
        .admin_delete_user()
        .user_pool_id(&pool)
        .username("dan@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        cognito
            .list_users()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap()
            .users()
            .len(),
        1
    );
}

#[tokio::test]
async fn sessions_passwords_and_revocation() {
    let (emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    let erin = "erin@example.com";
    cognito
        .sign_up()
        .client_id(&client)
        .username(erin)
        .password(PW)
        .send()
        .await
        .unwrap();
    let first = mailed_code(&emulator, erin);
    let resent = cognito
        .resend_confirmation_code()
        .client_id(&client)
        .username(erin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resent.code_delivery_details().unwrap().destination(),
        Some("e***@e***")
    );
    let second = mailed_code(&emulator, erin);
    if first != second {
        let e = error(
            cognito
                .confirm_sign_up()
                .client_id(&client)
                .username(erin)
                .confirmation_code(&first)
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(e.0, "ExpiredCodeException");
    }
    cognito
        .confirm_sign_up()
        .client_id(&client)
        .username(erin)
        .confirmation_code(&second)
        .send()
        .await
        .unwrap();

    let auth = login(&cognito, &client, erin, PW).await.unwrap();
    let tokens = auth.authentication_result().unwrap();
    let access = tokens.access_token().unwrap();
    let me = cognito
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    assert!(me
        .user_attributes()
        .iter()
        .any(|a| a.name() == "email" && a.value() == Some(erin)));
    cognito
        .change_password()
        .access_token(access)
        .previous_password(PW)
        .proposed_password("Changed123!")
        .send()
        .await
        .unwrap();
    assert!(login(&cognito, &client, erin, "Changed123!").await.is_ok());

    let refreshed = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&client)
        .auth_parameters("REFRESH_TOKEN", tokens.refresh_token().unwrap())
        .send()
        .await
        .unwrap();
    assert!(refreshed
        .authentication_result()
        .unwrap()
        .refresh_token()
        .is_none());
    cognito
        .revoke_token()
        .client_id(&client)
        .token(tokens.refresh_token().unwrap())
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .initiate_auth()
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .client_id(&client)
            .auth_parameters("REFRESH_TOKEN", tokens.refresh_token().unwrap())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "NotAuthorizedException".to_owned(),
            "Refresh Token has been revoked".to_owned()
        )
    );

    let again = login(&cognito, &client, erin, "Changed123!").await.unwrap();
    let access = again
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    cognito
        .global_sign_out()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .get_user()
            .access_token(&access)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "NotAuthorizedException".to_owned(),
            "Access Token has been revoked".to_owned()
        )
    );

    let forgot = cognito
        .forgot_password()
        .client_id(&client)
        .username(erin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        forgot
            .code_delivery_details()
            .unwrap()
            .delivery_medium()
            .map(|m| m.as_str()),
        Some("EMAIL")
    );
    let code = mailed_code(&emulator, erin);
    cognito
        .confirm_forgot_password()
        .client_id(&client)
        .username(erin)
        .confirmation_code(code)
        .password("Reset123!")
        .send()
        .await
        .unwrap();
    let admin = cognito
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", erin)
        .auth_parameters("PASSWORD", "Reset123!")
        .send()
        .await
        .unwrap();
    let access = admin
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap();
    cognito
        .delete_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .admin_get_user()
            .user_pool_id(&pool)
            .username(erin)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(e.0, "UserNotFoundException");
}

/// An SES message with a text body and, optionally, an HTML one.
fn ses_message(subject: &str, text: &str, html: Option<&str>) -> Message {
    let content = |data: &str| Content::builder().data(data).build().unwrap();
    let body = Body::builder()
        .text(content(text))
        .set_html(html.map(content))
        .build();
    Message::builder()
        .subject(content(subject))
        .body(body)
        .build()
}

#[tokio::test]
async fn ses_identities_and_sending() {
    let (emulator, _, ses) = start().await;
    let e = ses
        .send_email()
        .source("nobody@example.com")
        .destination(Destination::builder().to_addresses("x@example.com").build())
        .message(ses_message("s", "t", None))
        .send()
        .await
        .unwrap_err();
    let (code, message) = error(e);
    assert_eq!(code, "MessageRejected");
    assert_eq!(message, "Email address is not verified. The following identities failed the check in region US-EAST-1: nobody@example.com");

    ses.verify_email_identity()
        .email_address("from@example.com")
        .send()
        .await
        .unwrap();
    let link = emulator
        .outbox()
        .to("from@example.com")
        .pop()
        .unwrap()
        .body
        .text_part
        .unwrap();
    let token = link
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(emulator.ses().confirm_verification(&token));
    let listed = ses.list_identities().send().await.unwrap();
    assert_eq!(listed.identities(), ["from@example.com"]);

    let sent = ses
        .send_email()
        .source("from@example.com")
        .destination(
            Destination::builder()
                .to_addresses("to@example.com")
                .build(),
        )
        .message(ses_message("Hello", "plain", Some("<b>html</b>")))
        .send()
        .await
        .unwrap();
    let mail = emulator.outbox().to("to@example.com").pop().unwrap();
    assert_eq!(mail.id, sent.message_id());
    assert_eq!(mail.subject.as_deref(), Some("Hello"));
    assert!(mail.raw_data.contains("MIME-Version"));

    let raw = "From: from@example.com\r\nTo: raw@example.com\r\nSubject: Raw\r\n\r\nbody\r\n";
    ses.send_raw_email()
        .raw_message(
            RawMessage::builder()
                .data(aws_sdk_ses::primitives::Blob::new(raw))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let mail = emulator.outbox().to("raw@example.com").pop().unwrap();
    assert_eq!(mail.raw_data, raw);

    ses.delete_identity()
        .identity("from@example.com")
        .send()
        .await
        .unwrap();
    assert!(ses
        .list_identities()
        .send()
        .await
        .unwrap()
        .identities()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sign_ups_lose_nothing_and_have_one_winner() {
    let (_emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    let same: Vec<_> = (0..20)
        .map(|_| {
            let (cognito, client) = (cognito.clone(), client.clone());
            tokio::spawn(async move {
                cognito
                    .sign_up()
                    .client_id(client)
                    .username("same@example.com")
                    .password(PW)
                    .send()
                    .await
                    .map_err(error)
            })
        })
        .collect();
    let mut winners = 0;
    for task in same {
        match task.await.unwrap() {
            Ok(_) => winners += 1,
            Err((code, _)) => assert_eq!(code, "UsernameExistsException"),
        }
    }
    assert_eq!(winners, 1);

    let many: Vec<_> = (0..100)
        .map(|i| {
            let (cognito, client) = (cognito.clone(), client.clone());
            tokio::spawn(async move {
                cognito
                    .sign_up()
                    .client_id(client)
                    .username(format!("u{i}@example.com"))
                    .password(PW)
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in many {
        task.await.unwrap();
    }
    let mut users = 0;
    let mut pages = cognito
        .list_users()
        .user_pool_id(&pool)
        .limit(60)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        users += page.unwrap().users().len();
    }
    assert_eq!(users, 101);
}

/// An attribute for the SDK.
fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// Signs `user` up and confirms with the mailed code; the tokens of a first sign-in.
async fn confirmed_user(
    emulator: &EmulatorHandle,
    cognito: &Cognito,
    client: &str,
    user: &str,
) -> aws_sdk_cognitoidentityprovider::types::AuthenticationResultType {
    cognito
        .sign_up()
        .client_id(client)
        .username(user)
        .password(PW)
        .send()
        .await
        .unwrap();
    cognito
        .confirm_sign_up()
        .client_id(client)
        .username(user)
        .confirmation_code(mailed_code(emulator, user))
        .send()
        .await
        .unwrap();
    login(cognito, client, user, PW)
        .await
        .unwrap()
        .authentication_result()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn groups_through_the_sdk() {
    let (emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    let user = "gus@example.com";
    confirmed_user(&emulator, &cognito, &client, user).await;

    let role = "arn:aws:iam::000000000000:role/Editors";
    let created = cognito
        .create_group()
        .user_pool_id(&pool)
        .group_name("editors")
        .description("can edit")
        .precedence(2)
        .role_arn(role)
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(
        (
            created.group_name(),
            created.user_pool_id(),
            created.precedence(),
            created.role_arn()
        ),
        (Some("editors"), Some(pool.as_str()), Some(2), Some(role))
    );
    assert!(created.creation_date().is_some() && created.last_modified_date().is_some());
    let e = error(
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name("editors")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "GroupExistsException".to_owned(),
            "A group with the name already exists.".to_owned()
        )
    );
    for name in ["readers", "auditors"] {
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name(name)
            .send()
            .await
            .unwrap();
    }
    let updated = cognito
        .update_group()
        .user_pool_id(&pool)
        .group_name("readers")
        .precedence(1)
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(updated.precedence(), Some(1));
    let got = cognito
        .get_group()
        .user_pool_id(&pool)
        .group_name("editors")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(got.description(), Some("can edit"));
    let e = error(
        cognito
            .get_group()
            .user_pool_id(&pool)
            .group_name("nobody")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "ResourceNotFoundException".to_owned(),
            "Group not found.".to_owned()
        )
    );
    let mut pages = cognito
        .list_groups()
        .user_pool_id(&pool)
        .limit(2)
        .into_paginator()
        .send();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        names.extend(
            page.unwrap()
                .groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_owned()),
        );
    }
    assert_eq!(names, ["auditors", "editors", "readers"]);

    for group in ["editors", "readers", "auditors"] {
        cognito
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username(user)
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    let groups = cognito
        .admin_list_groups_for_user()
        .user_pool_id(&pool)
        .username(user)
        .send()
        .await
        .unwrap();
    assert_eq!(groups.groups().len(), 3);
    let members = cognito
        .list_users_in_group()
        .user_pool_id(&pool)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    assert_eq!(members.users().len(), 1);
    assert!(members.users()[0]
        .attributes()
        .iter()
        .any(|a| a.name() == "email" && a.value() == Some(user)));

    // The tokens: groups by precedence in both, the roles in the id token.
    let tokens = login(&cognito, &client, user, PW).await.unwrap();
    let tokens = tokens.authentication_result().unwrap();
    let id = claims(tokens.id_token().unwrap());
    let access = claims(tokens.access_token().unwrap());
    let order = serde_json::json!(["readers", "editors", "auditors"]);
    assert_eq!(id["cognito:groups"], order);
    assert_eq!(access["cognito:groups"], order);
    assert_eq!(id["cognito:roles"], serde_json::json!([role]));
    assert_eq!(id["cognito:preferred_role"], role);

    cognito
        .admin_remove_user_from_group()
        .user_pool_id(&pool)
        .username(user)
        .group_name("readers")
        .send()
        .await
        .unwrap();
    cognito
        .delete_group()
        .user_pool_id(&pool)
        .group_name("auditors")
        .send()
        .await
        .unwrap();
    let groups = cognito
        .admin_list_groups_for_user()
        .user_pool_id(&pool)
        .username(user)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = groups
        .groups()
        .iter()
        .filter_map(|g| g.group_name())
        .collect();
    assert_eq!(names, ["editors"]);
}

#[tokio::test]
async fn attributes_through_the_sdk() {
    use aws_sdk_cognitoidentityprovider::types::{AttributeDataType, SchemaAttributeType};

    let (emulator, cognito, _) = start().await;
    let (pool, client) = pool(&cognito).await;
    cognito
        .add_custom_attributes()
        .user_pool_id(&pool)
        .custom_attributes(
            SchemaAttributeType::builder()
                .name("team")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let e = error(
        cognito
            .add_custom_attributes()
            .user_pool_id(&pool)
            .custom_attributes(
                SchemaAttributeType::builder()
                    .name("team")
                    .attribute_data_type(AttributeDataType::String)
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "InvalidParameterException".to_owned(),
            "custom:team: Existing attribute already has name custom:team.".to_owned()
        )
    );

    let user = "hana@example.com";
    let tokens = confirmed_user(&emulator, &cognito, &client, user).await;
    let access = tokens.access_token().unwrap();
    let updated = cognito
        .update_user_attributes()
        .access_token(access)
        .user_attributes(attribute("email", "hana@work.example.com"))
        .user_attributes(attribute("custom:team", "blue"))
        .user_attributes(attribute("nickname", "H"))
        .send()
        .await
        .unwrap();
    let delivery = &updated.code_delivery_details_list()[0];
    assert_eq!(delivery.destination(), Some("h***@w***"));
    assert_eq!(delivery.attribute_name(), Some("email"));
    let me = cognito
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    let value = |name: &str| {
        me.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value())
            .map(str::to_owned)
    };
    assert_eq!(value("email").as_deref(), Some("hana@work.example.com"));
    assert_eq!(value("email_verified").as_deref(), Some("false"));
    assert_eq!(value("custom:team").as_deref(), Some("blue"));

    let sent = cognito
        .get_user_attribute_verification_code()
        .access_token(access)
        .attribute_name("email")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.code_delivery_details().unwrap().destination(),
        Some("h***@w***")
    );
    cognito
        .verify_user_attribute()
        .access_token(access)
        .attribute_name("email")
        .code(mailed_code(&emulator, "hana@work.example.com"))
        .send()
        .await
        .unwrap();
    cognito
        .delete_user_attributes()
        .access_token(access)
        .user_attribute_names("nickname")
        .send()
        .await
        .unwrap();
    cognito
        .admin_delete_user_attributes()
        .user_pool_id(&pool)
        .username("hana@work.example.com")
        .user_attribute_names("custom:team")
        .send()
        .await
        .unwrap();
    let attrs = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("hana@work.example.com")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = attrs.user_attributes().iter().map(|a| a.name()).collect();
    assert!(names.contains(&"email_verified"));
    assert!(!names.contains(&"nickname") && !names.contains(&"custom:team"));
    assert!(attrs
        .user_attributes()
        .iter()
        .any(|a| a.name() == "email_verified" && a.value() == Some("true")));

    // Another user's address is taken.
    confirmed_user(&emulator, &cognito, &client, "ida@example.com").await;
    let e = error(
        cognito
            .admin_update_user_attributes()
            .user_pool_id(&pool)
            .username("ida@example.com")
            .user_attributes(attribute("email", "hana@work.example.com"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        e,
        (
            "AliasExistsException".to_owned(),
            "An account with the given email already exists.".to_owned()
        )
    );

    // An administrator's reset: RESET_REQUIRED, refused sign-in, the mailed code.
    cognito
        .admin_reset_user_password()
        .user_pool_id(&pool)
        .username("hana@work.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        login(&cognito, &client, "hana@work.example.com", PW)
            .await
            .unwrap_err(),
        (
            "PasswordResetRequiredException".to_owned(),
            "Password reset required for the user".to_owned()
        )
    );
    cognito
        .confirm_forgot_password()
        .client_id(&client)
        .username("hana@work.example.com")
        .confirmation_code(mailed_code(&emulator, "hana@work.example.com"))
        .password("Another123!")
        .send()
        .await
        .unwrap();
    assert!(
        login(&cognito, &client, "hana@work.example.com", "Another123!")
            .await
            .is_ok()
    );
}
