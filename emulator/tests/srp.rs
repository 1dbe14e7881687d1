//! SRP sign-in (`USER_SRP_AUTH`) as apps do it: the AWS SDK for Rust carries the calls,
//! and the `aws-cognito-srp` crate, an SRP client written independently of the
//! emulator, computes `SRP_A` and the password claim.

use crate::common;

use std::collections::HashMap;

use aws_cognito_srp::{SrpClient, User, UserAuthenticationParameters, VerificationParameters};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
    PreventUserExistenceErrorTypes, UsernameAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use common::{claims, confirmed_user, error, start, PW};

/// A pool, and a client made without `ExplicitAuthFlows` (AWS's default: SRP, refresh
/// and custom), with a secret when `secret` is set.
async fn pool(
    cognito: &Cognito,
    email_is_username: bool,
    secret: bool,
) -> (String, String, Option<String>) {
    let mut create = cognito.create_user_pool().pool_name("srp");
    if email_is_username {
        create = create.username_attributes(UsernameAttributeType::Email);
    }
    let pool = create.send().await.unwrap().user_pool.unwrap().id.unwrap();
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .generate_secret(secret)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    (pool, client.client_id.unwrap(), client.client_secret)
}

/// A confirmed user with password `PW`.
async fn user(cognito: &Cognito, pool: &str, username: &str) {
    confirmed_user(cognito, pool, username, None).await;
}

/// What the two SRP steps answered: the challenge's parameters, and the second step's
/// output or error.
struct SrpRun {
    challenge: HashMap<String, String>,
    session: Option<String>,
    result: Result<
        aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput,
        (String, String),
    >,
}

/// Signs in as `username` with `password` through `USER_SRP_AUTH`, as an app would.
async fn srp_sign_in(
    cognito: &Cognito,
    pool: &str,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
) -> Result<SrpRun, (String, String)> {
    let srp = SrpClient::new(User::new(pool, username, password), client_id, secret);
    let UserAuthenticationParameters { a, username: name } = srp.get_auth_parameters();
    let mut initiate = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(client_id)
        .auth_parameters("USERNAME", &name)
        .auth_parameters("SRP_A", &a);
    if let Some(hash) = srp.get_secret_hash() {
        initiate = initiate.auth_parameters("SECRET_HASH", hash);
    }
    let out = initiate.send().await.map_err(error)?;
    assert_eq!(
        out.challenge_name,
        Some(ChallengeNameType::PasswordVerifier)
    );
    let challenge = out.challenge_parameters.unwrap();
    let user_id = &challenge["USER_ID_FOR_SRP"];
    let VerificationParameters {
        password_claim_secret_block,
        password_claim_signature,
        timestamp,
    } = srp
        .verify(
            &challenge["SECRET_BLOCK"],
            user_id,
            &challenge["SALT"],
            &challenge["SRP_B"],
        )
        .unwrap();
    let mut respond = cognito
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", user_id)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", password_claim_secret_block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", password_claim_signature)
        .challenge_responses("TIMESTAMP", timestamp);
    if let Some(secret) = secret {
        // The hash is of the name the answer gives: the user's id for SRP.
        let srp = SrpClient::new(User::new(pool, user_id, password), client_id, Some(secret));
        respond = respond.challenge_responses("SECRET_HASH", srp.get_secret_hash().unwrap());
    }
    let result = respond.send().await.map_err(error);
    Ok(SrpRun {
        challenge,
        session: out.session,
        result,
    })
}

#[tokio::test]
async fn the_default_client_signs_in_by_srp_with_an_independent_client() {
    let (_emulator, cognito) = start().await;
    let (pool, client, _) = pool(&cognito, false, false).await;
    user(&cognito, &pool, "alice").await;

    let run = srp_sign_in(&cognito, &pool, &client, None, "alice", PW)
        .await
        .unwrap();
    let mut names: Vec<&str> = run.challenge.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SALT",
            "SECRET_BLOCK",
            "SRP_B",
            "USERNAME",
            "USER_ID_FOR_SRP"
        ]
    );
    assert_eq!(run.challenge["USER_ID_FOR_SRP"], "alice");
    assert_eq!(
        run.session, None,
        "AWS poses PASSWORD_VERIFIER without a session"
    );
    let tokens = run.result.unwrap().authentication_result.unwrap();
    let access = claims(tokens.access_token.as_deref().unwrap());
    assert_eq!(access["username"], "alice");
    assert_eq!(access["token_use"], "access");
    assert!(tokens.refresh_token.is_some());
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_counts_towards_the_shared_lockout() {
    let (_emulator, cognito) = start().await;
    let (pool, client, _) = pool(&cognito, false, false).await;
    user(&cognito, &pool, "bob").await;

    for _ in 0..4 {
        let run = srp_sign_in(&cognito, &pool, &client, None, "bob", "Wr0ng!pass")
            .await
            .unwrap();
        assert_eq!(
            run.result.unwrap_err(),
            (
                "NotAuthorizedException".into(),
                "Incorrect username or password.".into()
            )
        );
    }
    // The fifth wrong password, sent by the admin password flow, locks sign-in.
    cognito
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let locked = cognito
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", "Wr0ng!pass")
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        locked,
        (
            "NotAuthorizedException".into(),
            "Password attempts exceeded".into()
        )
    );
    // Locked out, even the right password proven by SRP is refused.
    let run = srp_sign_in(&cognito, &pool, &client, None, "bob", PW)
        .await
        .unwrap();
    assert_eq!(run.result.unwrap_err().1, "Password attempts exceeded");
}

#[tokio::test]
async fn unknown_and_unconfirmed_users_are_refused_as_aws_refuses_them() {
    let (_emulator, cognito) = start().await;
    let (pool, client, _) = pool(&cognito, false, false).await;

    let unknown = srp_sign_in(&cognito, &pool, &client, None, "nobody", PW).await;
    assert_eq!(
        unknown.err(),
        Some((
            "UserNotFoundException".into(),
            "User does not exist.".into()
        ))
    );

    cognito
        .sign_up()
        .client_id(&client)
        .username("carol")
        .password(PW)
        .send()
        .await
        .unwrap();
    let run = srp_sign_in(&cognito, &pool, &client, None, "carol", PW)
        .await
        .unwrap();
    assert_eq!(
        run.result.unwrap_err(),
        (
            "UserNotConfirmedException".into(),
            "User is not confirmed.".into()
        )
    );

    // A client that hides whether users exist challenges anyone, and refuses the
    // answer as a wrong password.
    cognito
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let run = srp_sign_in(&cognito, &pool, &client, None, "nobody", PW)
        .await
        .unwrap();
    assert_eq!(run.challenge["USER_ID_FOR_SRP"], "nobody");
    assert_eq!(
        run.result.unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
}

#[tokio::test]
async fn a_temporary_password_proven_by_srp_leads_to_new_password_required() {
    let (_emulator, cognito) = start().await;
    let (pool, client, _) = pool(&cognito, false, false).await;
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("dave")
        .temporary_password(PW)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();

    let run = srp_sign_in(&cognito, &pool, &client, None, "dave", PW)
        .await
        .unwrap();
    let out = run.result.unwrap();
    assert_eq!(
        out.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(out.session.unwrap())
        .challenge_responses("USERNAME", "dave")
        .challenge_responses("NEW_PASSWORD", "Bb123456!")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());
    // The new password has its own verifier: SRP signs in with it, not the old one.
    let run = srp_sign_in(&cognito, &pool, &client, None, "dave", "Bb123456!")
        .await
        .unwrap();
    assert!(run.result.unwrap().authentication_result.is_some());
    let run = srp_sign_in(&cognito, &pool, &client, None, "dave", PW)
        .await
        .unwrap();
    assert_eq!(run.result.unwrap_err().0, "NotAuthorizedException");
}

#[tokio::test]
async fn e_mail_usernames_sign_in_under_their_sub_with_a_secret_hash() {
    let (_emulator, cognito) = start().await;
    let (pool, client, secret) = pool(&cognito, true, true).await;
    let secret = secret.expect("a client secret");
    user(&cognito, &pool, "erin@example.com").await;

    // Without SECRET_HASH, the client's secret is asked for.
    let missing = srp_sign_in(&cognito, &pool, &client, None, "erin@example.com", PW).await;
    assert_eq!(
        missing.err(),
        Some((
            "NotAuthorizedException".into(),
            format!("Client {client} is configured for secret but secret was not received")
        ))
    );

    let run = srp_sign_in(
        &cognito,
        &pool,
        &client,
        Some(&secret),
        "erin@example.com",
        PW,
    )
    .await
    .unwrap();
    let sub = run.challenge["USER_ID_FOR_SRP"].clone();
    assert_ne!(
        sub, "erin@example.com",
        "the id for SRP is the stored username"
    );
    let id = claims(
        run.result
            .unwrap()
            .authentication_result
            .unwrap()
            .id_token
            .as_deref()
            .unwrap(),
    );
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["email"], "erin@example.com");
}

#[tokio::test]
async fn admin_sign_in_by_srp_and_clients_that_do_not_allow_it() {
    let (_emulator, cognito) = start().await;
    let (pool, client, _) = pool(&cognito, false, false).await;
    user(&cognito, &pool, "frank").await;

    let srp = SrpClient::new(User::new(&pool, "frank", PW), &client, None);
    let UserAuthenticationParameters { a, username } = srp.get_auth_parameters();
    let out = cognito
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", &username)
        .auth_parameters("SRP_A", &a)
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
    let respond = |timestamp: String| {
        cognito
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&client)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .challenge_responses("USERNAME", "frank")
            .challenge_responses(
                "PASSWORD_CLAIM_SECRET_BLOCK",
                &v.password_claim_secret_block,
            )
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &v.password_claim_signature)
            .challenge_responses("TIMESTAMP", timestamp)
            .send()
    };
    // A timestamp in another form is refused before the proof is looked at, and does
    // not use the challenge up.
    let bad = respond("2026-11-26T19:04:43Z".into()).await.map_err(error);
    assert_eq!(
        bad.unwrap_err(),
        (
            "InvalidParameterException".into(),
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.".into()
        )
    );
    let done = respond(v.timestamp.clone()).await.unwrap();
    assert!(done.authentication_result.is_some());
    // The secret block is single-use.
    let again = respond(v.timestamp.clone()).await.map_err(error);
    assert_eq!(again.unwrap_err().0, "NotAuthorizedException");

    // A client that lists its flows without SRP refuses it.
    cognito
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let refused = srp_sign_in(&cognito, &pool, &client, None, "frank", PW).await;
    assert_eq!(
        refused.err(),
        Some((
            "InvalidParameterException".into(),
            "USER_SRP_AUTH is not enabled for the client.".into()
        ))
    );
}
