//! Lambda triggers through the AWS SDK for Rust: in-process handlers (`Emulator::trigger`)
//! and the Lambda Invoke API (`Emulator::lambda_endpoint`, served here by a small axum
//! server), with AWS's events, their effects, and AWS's errors.

use crate::common;

use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ExplicitAuthFlowsType, LambdaConfigType,
    PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
    UsernameAttributeType, VerifiedAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use cognito_emulator::Emulator;
use common::{app_client, claims, error, mailed_code, start_with, PW};
use serde_json::{json, Value};

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function:trigger";

/// The events a handler saw.
type Seen = Arc<Mutex<Vec<Value>>>;

/// A pool (e-mail is the username, codes mailed) whose triggers are `config`, and a
/// client for password sign-in.
async fn pool(cognito: &Cognito, config: LambdaConfigType) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("triggers")
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .lambda_config(config)
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
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
    )
    .await;
    (pool, client)
}

async fn sign_up(
    cognito: &Cognito,
    client: &str,
    email: &str,
) -> Result<aws_sdk_cognitoidentityprovider::operation::sign_up::SignUpOutput, (String, String)> {
    cognito
        .sign_up()
        .client_id(client)
        .username(email)
        .password(PW)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(email)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .map_err(error)
}

async fn log_in(
    cognito: &Cognito,
    client: &str,
    email: &str,
) -> Result<aws_sdk_cognitoidentityprovider::types::AuthenticationResultType, (String, String)> {
    cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(client)
        .auth_parameters("USERNAME", email)
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .map(|o| o.authentication_result.unwrap())
        .map_err(error)
}

/// An emulator whose function `ARN` records each event and answers as `answer` says.
fn recording(
    answer: impl Fn(Value) -> Result<Value, String> + Send + Sync + 'static,
) -> (Emulator, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let answer = Arc::new(answer);
    let emulator = Emulator::new().trigger(ARN, move |event: Value| {
        log.lock().unwrap().push(event.clone());
        let answer = answer.clone();
        async move { answer(event) }
    });
    (emulator, seen)
}

#[tokio::test]
async fn pre_sign_up_confirms_test_addresses_and_no_code_is_mailed() {
    let (emulator, seen) = recording(|mut event| {
        let email = event["request"]["userAttributes"]["email"]
            .as_str()
            .unwrap_or("");
        if email.ends_with("@example.org") {
            event["response"]["autoConfirmUser"] = json!(true);
            event["response"]["autoVerifyEmail"] = json!(true);
        }
        Ok(event)
    });
    let (emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().pre_sign_up(ARN).build(),
    )
    .await;

    let out = sign_up(&cognito, &client, "alice@example.org")
        .await
        .unwrap();
    assert!(out.user_confirmed);
    assert!(
        emulator.outbox().to("alice@example.org").is_empty(),
        "no code for a confirmed user"
    );
    assert!(log_in(&cognito, &client, "alice@example.org").await.is_ok());

    let event = seen.lock().unwrap()[0].clone();
    assert_eq!(event["triggerSource"], "PreSignUp_SignUp");
    assert_eq!(event["version"], "1");
    assert_eq!(event["region"], "us-east-1");
    assert_eq!(event["userPoolId"], pool.as_str());
    assert_eq!(
        event["userName"],
        out.user_sub.as_str(),
        "stored under the sub"
    );
    assert_eq!(event["callerContext"]["clientId"], client.as_str());
    assert_eq!(event["response"]["autoConfirmUser"], false, "AWS's default");

    // Other addresses get the code as usual.
    let out = sign_up(&cognito, &client, "bob@example.com").await.unwrap();
    assert!(!out.user_confirmed);
    assert_eq!(mailed_code(&emulator, "bob@example.com").len(), 6);
}

#[tokio::test]
async fn a_refusing_pre_sign_up_leaves_no_user_behind() {
    let (emulator, _seen) = recording(|_| Err("no thanks".into()));
    let (_emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().pre_sign_up(ARN).build(),
    )
    .await;
    assert_eq!(
        sign_up(&cognito, &client, "carol@example.com")
            .await
            .unwrap_err(),
        (
            "UserLambdaValidationException".into(),
            "PreSignUp failed with error no thanks.".into()
        )
    );
    let users = cognito
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert!(users.users.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn a_trigger_the_emulator_cannot_call_fails_loudly() {
    let (_emulator, cognito) = start_with(Emulator::new()).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().pre_sign_up(ARN).build(),
    )
    .await;
    let (code, _) = sign_up(&cognito, &client, "dan@example.com")
        .await
        .unwrap_err();
    assert_eq!(code, "UnexpectedLambdaException");
    let users = cognito
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert!(users.users.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn post_confirmation_runs_once_after_the_code_is_confirmed() {
    let (emulator, seen) = recording(Ok);
    let (emulator, cognito) = start_with(emulator).await;
    let (_pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().post_confirmation(ARN).build(),
    )
    .await;
    sign_up(&cognito, &client, "erin@example.com")
        .await
        .unwrap();
    assert!(seen.lock().unwrap().is_empty());
    cognito
        .confirm_sign_up()
        .client_id(&client)
        .username("erin@example.com")
        .confirmation_code(mailed_code(&emulator, "erin@example.com"))
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["triggerSource"], "PostConfirmation_ConfirmSignUp");
    let attributes = &seen[0]["request"]["userAttributes"];
    assert_eq!(attributes["cognito:user_status"], "CONFIRMED");
    assert_eq!(attributes["email_verified"], "true");
    assert!(attributes["sub"].is_string());
}

#[tokio::test]
async fn authentication_triggers_run_around_every_sign_in_and_may_refuse_it() {
    let (emulator, seen) = recording(|event| {
        if event["triggerSource"] == "PreAuthentication_Authentication"
            && event["request"]["userAttributes"]["email"] == "blocked@example.com"
        {
            return Err("account locked".into());
        }
        Ok(event)
    });
    let (_emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder()
            .pre_authentication(ARN)
            .post_authentication(ARN)
            .build(),
    )
    .await;
    for email in ["fay@example.com", "blocked@example.com"] {
        sign_up(&cognito, &client, email).await.unwrap();
        cognito
            .admin_confirm_sign_up()
            .user_pool_id(&pool)
            .username(email)
            .send()
            .await
            .unwrap();
    }
    log_in(&cognito, &client, "fay@example.com").await.unwrap();
    let sources: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].clone())
        .collect();
    assert_eq!(
        sources,
        [
            json!("PreAuthentication_Authentication"),
            json!("PostAuthentication_Authentication")
        ]
    );
    assert_eq!(
        log_in(&cognito, &client, "blocked@example.com")
            .await
            .unwrap_err(),
        (
            "UserLambdaValidationException".into(),
            "PreAuthentication failed with error account locked.".into()
        )
    );
}

#[tokio::test]
async fn pre_token_generation_adds_claims_in_both_event_versions() {
    let (emulator, seen) = recording(|mut event| {
        if event["version"] == "1" {
            event["response"]["claimsOverrideDetails"] = json!({
                "claimsToAddOrOverride": {"tenant": "acme", "sub": "not-allowed"},
                "claimsToSuppress": ["email_verified"],
            });
        } else {
            event["response"]["claimsAndScopeOverrideDetails"] = json!({
                "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}},
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"roles": ["admin"]},
                    "scopesToAdd": ["orders/read"],
                },
            });
        }
        Ok(event)
    });
    let (_emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder()
            .pre_token_generation(ARN)
            .build(),
    )
    .await;
    sign_up(&cognito, &client, "gus@example.com").await.unwrap();
    cognito
        .admin_confirm_sign_up()
        .user_pool_id(&pool)
        .username("gus@example.com")
        .send()
        .await
        .unwrap();
    let tokens = log_in(&cognito, &client, "gus@example.com").await.unwrap();
    let id = claims(tokens.id_token.as_deref().unwrap());
    assert_eq!(id["tenant"], "acme");
    assert_ne!(id["sub"], "not-allowed", "sub cannot be changed");
    assert!(!id.contains_key("email_verified"));
    assert_eq!(
        seen.lock().unwrap()[0]["triggerSource"],
        "TokenGeneration_Authentication"
    );

    // Version 2: each token as the trigger says, scopes included.
    cognito
        .update_user_pool()
        .user_pool_id(&pool)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .lambda_config(
            LambdaConfigType::builder()
                .pre_token_generation_config(
                    PreTokenGenerationVersionConfigType::builder()
                        .lambda_arn(ARN)
                        .lambda_version(PreTokenGenerationLambdaVersionType::V20)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let tokens = log_in(&cognito, &client, "gus@example.com").await.unwrap();
    let access = claims(tokens.access_token.as_deref().unwrap());
    assert_eq!(access["roles"], json!(["admin"]));
    assert!(access["scope"].as_str().unwrap().contains("orders/read"));
    assert_eq!(
        claims(tokens.id_token.as_deref().unwrap())["tenant"],
        "acme"
    );
    assert_eq!(seen.lock().unwrap().last().unwrap()["version"], "2");
}

/// What the test's Invoke API server saw and answers.
#[derive(Clone, Default)]
struct Lambda {
    calls: Arc<Mutex<Vec<(String, Value)>>>,
}

async fn invoke(
    State(lambda): State<Lambda>,
    Path(function): Path<String>,
    body: String,
) -> (HeaderMap, String) {
    let event: Value = serde_json::from_str(&body).unwrap();
    lambda.calls.lock().unwrap().push((function, event.clone()));
    let mut headers = HeaderMap::new();
    let email = event["request"]["userAttributes"]["email"]
        .as_str()
        .unwrap_or("");
    if email.starts_with("refused") {
        headers.insert("x-amz-function-error", "Unhandled".parse().unwrap());
        let error = json!({"errorMessage": "refused by policy", "errorType": "Error"});
        return (headers, error.to_string());
    }
    if email.starts_with("garbled") {
        return (headers, "not json".into());
    }
    let mut event = event;
    event["response"]["autoConfirmUser"] = json!(true);
    (headers, event.to_string())
}

#[tokio::test]
async fn triggers_through_the_lambda_invoke_api() {
    let lambda = Lambda::default();
    let app = axum::Router::new()
        .route("/2015-03-31/functions/{function}/invocations", post(invoke))
        .with_state(lambda.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (_emulator, cognito) = start_with(Emulator::new().lambda_endpoint(url)).await;
    // A pool without triggers never calls the endpoint.
    let (_, plain) = pool(&cognito, LambdaConfigType::builder().build()).await;
    sign_up(&cognito, &plain, "quiet@example.com")
        .await
        .unwrap();
    assert!(lambda.calls.lock().unwrap().is_empty());

    let (_pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().pre_sign_up(ARN).build(),
    )
    .await;
    let out = sign_up(&cognito, &client, "hal@example.com").await.unwrap();
    assert!(out.user_confirmed, "the function's answer took effect");
    let (function, event) = lambda.calls.lock().unwrap()[0].clone();
    assert_eq!(
        function, ARN,
        "the ARN, percent-encoded in the path as the SDK sends it"
    );
    assert_eq!(event["triggerSource"], "PreSignUp_SignUp");

    assert_eq!(
        sign_up(&cognito, &client, "refused@example.com")
            .await
            .unwrap_err(),
        (
            "UserLambdaValidationException".into(),
            "PreSignUp failed with error refused by policy.".into()
        )
    );
    assert_eq!(
        sign_up(&cognito, &client, "garbled@example.com")
            .await
            .unwrap_err(),
        (
            "InvalidLambdaResponseException".into(),
            "Unrecognizable lambda output".into()
        )
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_is_an_unexpected_lambda_error() {
    // A port nothing listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (_emulator, cognito) =
        start_with(Emulator::new().lambda_endpoint(format!("http://127.0.0.1:{port}"))).await;
    let (_pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().pre_sign_up(ARN).build(),
    )
    .await;
    let (code, message) = sign_up(&cognito, &client, "ian@example.com")
        .await
        .unwrap_err();
    assert_eq!(code, "UnexpectedLambdaException");
    assert!(
        message.starts_with("PreSignUp invocation failed"),
        "{message}"
    );
}

#[tokio::test]
async fn custom_message_brands_the_code_mails() {
    let (emulator, seen) = recording(|mut event| {
        let source = event["triggerSource"].as_str().unwrap_or("").to_owned();
        assert_eq!(event["request"]["codeParameter"], "{####}");
        event["response"]["emailSubject"] = json!(format!("Acme: {source}"));
        event["response"]["emailMessage"] = json!("Your Acme code is {####}.");
        Ok(event)
    });
    let (emulator, cognito) = start_with(emulator).await;
    let (_pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().custom_message(ARN).build(),
    )
    .await;
    sign_up(&cognito, &client, "jo@example.com").await.unwrap();

    let mail = emulator.outbox().to("jo@example.com").pop().unwrap();
    assert_eq!(mail.subject.as_deref(), Some("Acme: CustomMessage_SignUp"));
    let code = mailed_code(&emulator, "jo@example.com");
    assert!(mail
        .raw_data
        .contains(&format!("Your Acme code is {code}.")));
    cognito
        .confirm_sign_up()
        .client_id(&client)
        .username("jo@example.com")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();

    cognito
        .forgot_password()
        .client_id(&client)
        .username("jo@example.com")
        .send()
        .await
        .unwrap();
    let mail = emulator.outbox().to("jo@example.com").pop().unwrap();
    assert_eq!(
        mail.subject.as_deref(),
        Some("Acme: CustomMessage_ForgotPassword")
    );
    let sources: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].clone())
        .collect();
    assert_eq!(
        sources,
        [
            json!("CustomMessage_SignUp"),
            json!("CustomMessage_ForgotPassword")
        ]
    );
    let attributes = &seen.lock().unwrap()[1]["request"]["userAttributes"];
    assert_eq!(attributes["email"], "jo@example.com");
}

#[tokio::test]
async fn admin_created_users_and_password_resets_fire_their_sources() {
    let (emulator, seen) = recording(|mut event| {
        if event["triggerSource"] == "PreSignUp_AdminCreateUser" {
            event["response"]["autoVerifyEmail"] = json!(true);
        }
        Ok(event)
    });
    let (emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder()
            .pre_sign_up(ARN)
            .post_confirmation(ARN)
            .build(),
    )
    .await;
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("kim@example.com")
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value("kim@example.com")
                .build()
                .unwrap(),
        )
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("kim@example.com")
        .send()
        .await
        .unwrap();
    let verified = user
        .user_attributes
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.name == "email_verified")
        .and_then(|a| a.value);
    assert_eq!(
        verified.as_deref(),
        Some("true"),
        "autoVerifyEmail took effect"
    );

    cognito
        .forgot_password()
        .client_id(&client)
        .username("kim@example.com")
        .send()
        .await
        .unwrap();
    cognito
        .confirm_forgot_password()
        .client_id(&client)
        .username("kim@example.com")
        .confirmation_code(mailed_code(&emulator, "kim@example.com"))
        .password("Bb123456!")
        .send()
        .await
        .unwrap();
    let sources: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].clone())
        .collect();
    assert_eq!(
        sources,
        [
            json!("PreSignUp_AdminCreateUser"),
            json!("PostConfirmation_ConfirmForgotPassword")
        ]
    );
    assert_eq!(
        seen.lock().unwrap()[0]["callerContext"]["clientId"],
        "CLIENT_ID_NOT_APPLICABLE"
    );
}

/// Reads `event` as the `aws_lambda_events` type of its trigger, and writes it back as
/// that type serializes it: the event must parse, and the emulator must accept what the
/// typed handler returns.
fn through_typed(event: Value) -> Result<Value, String> {
    use aws_lambda_events::event::cognito::*;
    fn round<T: serde::de::DeserializeOwned + serde::Serialize>(
        event: Value,
    ) -> Result<Value, String> {
        let typed: T = serde_json::from_value(event).map_err(|e| e.to_string())?;
        serde_json::to_value(typed).map_err(|e| e.to_string())
    }
    let source = event["triggerSource"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let version = event["version"].as_str().unwrap_or_default().to_owned();
    match source.split('_').next().unwrap_or_default() {
        "PreSignUp" => round::<CognitoEventUserPoolsPreSignup>(event),
        "PostConfirmation" => round::<CognitoEventUserPoolsPostConfirmation>(event),
        "PreAuthentication" => round::<CognitoEventUserPoolsPreAuthentication>(event),
        "PostAuthentication" => round::<CognitoEventUserPoolsPostAuthentication>(event),
        "TokenGeneration" if version == "1" => round::<CognitoEventUserPoolsPreTokenGen>(event),
        "TokenGeneration" => round::<CognitoEventUserPoolsPreTokenGenV2>(event),
        "CustomMessage" => round::<CognitoEventUserPoolsCustomMessage>(event),
        other => Err(format!("no type for {other}")),
    }
}

#[tokio::test]
async fn events_read_as_the_aws_lambda_events_types_and_their_answers_are_accepted() {
    let (emulator, seen) = recording(through_typed);
    let (emulator, cognito) = start_with(emulator).await;
    let all = || {
        LambdaConfigType::builder()
            .pre_sign_up(ARN)
            .custom_message(ARN)
            .post_confirmation(ARN)
            .pre_authentication(ARN)
            .post_authentication(ARN)
    };
    let (pool, client) = pool(&cognito, all().pre_token_generation(ARN).build()).await;
    sign_up(&cognito, &client, "lee@example.com").await.unwrap();
    cognito
        .confirm_sign_up()
        .client_id(&client)
        .username("lee@example.com")
        .confirmation_code(mailed_code(&emulator, "lee@example.com"))
        .send()
        .await
        .unwrap();
    log_in(&cognito, &client, "lee@example.com").await.unwrap();
    cognito
        .update_user_pool()
        .user_pool_id(&pool)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .lambda_config(
            all()
                .pre_token_generation_config(
                    PreTokenGenerationVersionConfigType::builder()
                        .lambda_arn(ARN)
                        .lambda_version(PreTokenGenerationLambdaVersionType::V20)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    log_in(&cognito, &client, "lee@example.com").await.unwrap();
    let sources: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sources,
        [
            "PreSignUp_SignUp",
            "CustomMessage_SignUp",
            "PostConfirmation_ConfirmSignUp",
            "PreAuthentication_Authentication",
            "TokenGeneration_Authentication",
            "PostAuthentication_Authentication",
            "PreAuthentication_Authentication",
            "TokenGeneration_Authentication",
            "PostAuthentication_Authentication",
        ]
    );
}

#[path = "../examples/triggers/pre_sign_up.rs"]
mod example;

#[tokio::test]
async fn the_example_trigger_confirms_example_org_and_refuses_example_net() {
    let emulator = Emulator::new().trigger(example::PRE_SIGN_UP, example::pre_sign_up_json);
    let (emulator, cognito) = start_with(emulator).await;
    let (_pool, client) = pool(
        &cognito,
        LambdaConfigType::builder()
            .pre_sign_up(example::PRE_SIGN_UP)
            .build(),
    )
    .await;
    assert!(
        sign_up(&cognito, &client, "ada@example.org")
            .await
            .unwrap()
            .user_confirmed
    );
    assert!(emulator.outbox().to("ada@example.org").is_empty());
    assert!(
        !sign_up(&cognito, &client, "bob@example.com")
            .await
            .unwrap()
            .user_confirmed
    );
    assert_eq!(
        sign_up(&cognito, &client, "eve@example.net")
            .await
            .unwrap_err(),
        (
            "UserLambdaValidationException".into(),
            "PreSignUp failed with error sign-ups from example.net are closed.".into()
        )
    );
}

#[tokio::test]
async fn user_migration_brings_legacy_users_in_at_sign_in_and_at_password_reset() {
    let (emulator, seen) = recording(|mut event| {
        let name = event["userName"].as_str().unwrap_or_default().to_owned();
        if !name.ends_with("@legacy.example") {
            return Err("User not found".into());
        }
        if event["triggerSource"] == "UserMigration_Authentication"
            && event["request"]["password"] != PW
        {
            return Err("Bad password".into());
        }
        event["response"]["userAttributes"] = json!({"email": name, "email_verified": "true"});
        event["response"]["finalUserStatus"] = json!("CONFIRMED");
        event["response"]["messageAction"] = json!("SUPPRESS");
        Ok(event)
    });
    let (emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder().user_migration(ARN).build(),
    )
    .await;

    let tokens = log_in(&cognito, &client, "max@legacy.example")
        .await
        .unwrap();
    assert!(
        tokens.access_token.is_some(),
        "the migrated user signs in at once"
    );
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("max@legacy.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.user_status,
        Some(aws_sdk_cognitoidentityprovider::types::UserStatusType::Confirmed)
    );
    // Known now: the next sign-in does not call the trigger.
    log_in(&cognito, &client, "max@legacy.example")
        .await
        .unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(
        seen.lock().unwrap()[0]["triggerSource"],
        "UserMigration_Authentication"
    );

    assert_eq!(
        log_in(&cognito, &client, "nobody@elsewhere.example")
            .await
            .unwrap_err(),
        (
            "UserNotFoundException".into(),
            format!("Exception migrating user in app client {client}")
        )
    );

    // A reset for an unknown legacy user migrates them, to be reset.
    cognito
        .forgot_password()
        .client_id(&client)
        .username("nat@legacy.example")
        .send()
        .await
        .unwrap();
    let code = mailed_code(&emulator, "nat@legacy.example");
    cognito
        .confirm_forgot_password()
        .client_id(&client)
        .username("nat@legacy.example")
        .confirmation_code(code)
        .password(PW)
        .send()
        .await
        .unwrap();
    log_in(&cognito, &client, "nat@legacy.example")
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap().last().unwrap()["triggerSource"],
        "UserMigration_ForgotPassword"
    );
}

#[tokio::test]
async fn custom_authentication_asks_the_triggers_question_until_it_is_answered() {
    let (emulator, seen) = recording(|mut event| {
        match event["triggerSource"].as_str().unwrap_or_default() {
            "DefineAuthChallenge_Authentication" => {
                let session = event["request"]["session"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let last_right = session.last().is_some_and(|c| c["challengeResult"] == true);
                if last_right {
                    event["response"]["issueTokens"] = json!(true);
                } else if session.len() >= 2 {
                    event["response"]["failAuthentication"] = json!(true);
                } else {
                    event["response"]["challengeName"] = json!("CUSTOM_CHALLENGE");
                }
            }
            "CreateAuthChallenge_Authentication" => {
                event["response"]["publicChallengeParameters"] = json!({"question": "2 + 2?"});
                event["response"]["privateChallengeParameters"] = json!({"answer": "4"});
                event["response"]["challengeMetadata"] = json!("SUM");
            }
            "VerifyAuthChallengeResponse_Authentication" => {
                let right = event["request"]["challengeAnswer"]
                    == event["request"]["privateChallengeParameters"]["answer"];
                event["response"]["answerCorrect"] = json!(right);
            }
            _ => {}
        }
        Ok(event)
    });
    let (_emulator, cognito) = start_with(emulator).await;
    let (quiz_pool, _) = pool(
        &cognito,
        LambdaConfigType::builder()
            .define_auth_challenge(ARN)
            .create_auth_challenge(ARN)
            .verify_auth_challenge_response(ARN)
            .build(),
    )
    .await;
    // A client made without ExplicitAuthFlows allows custom authentication.
    let client = app_client(&cognito, &quiz_pool, &[]).await;
    common::confirmed_user(&cognito, &quiz_pool, "quiz@example.com", None).await;
    let start = || {
        cognito
            .initiate_auth()
            .auth_flow(AuthFlowType::CustomAuth)
            .client_id(&client)
            .auth_parameters("USERNAME", "quiz@example.com")
            .send()
    };
    let respond = |session: String, answer: &'static str| {
        cognito
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(
                aws_sdk_cognitoidentityprovider::types::ChallengeNameType::CustomChallenge,
            )
            .session(session)
            .challenge_responses("USERNAME", "quiz@example.com")
            .challenge_responses("ANSWER", answer)
            .send()
    };

    let out = start().await.unwrap();
    let parameters = out.challenge_parameters.unwrap();
    assert_eq!(parameters["question"], "2 + 2?");
    assert!(
        !parameters.contains_key("answer"),
        "private parameters stay private"
    );
    let wrong = respond(out.session.unwrap(), "5").await.unwrap();
    assert_eq!(
        wrong.challenge_name,
        Some(aws_sdk_cognitoidentityprovider::types::ChallengeNameType::CustomChallenge),
        "a wrong answer gets another question"
    );
    let right = respond(wrong.session.unwrap(), "4").await.unwrap();
    assert!(right.authentication_result.unwrap().id_token.is_some());
    let last_define = seen
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["triggerSource"] == "DefineAuthChallenge_Authentication")
        .cloned()
        .unwrap();
    assert_eq!(
        last_define["request"]["session"],
        json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "SUM"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "SUM"},
        ])
    );

    // Two wrong answers: DefineAuthChallenge fails the sign-in.
    let out = start().await.unwrap();
    let again = respond(out.session.unwrap(), "1").await.unwrap();
    let failed = respond(again.session.unwrap(), "2")
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        failed,
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );

    // A pool without the three triggers refuses the flow.
    let (plain, _) = pool(&cognito, LambdaConfigType::builder().build()).await;
    let plain_client = app_client(&cognito, &plain, &[]).await;
    let refused = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::CustomAuth)
        .client_id(&plain_client)
        .auth_parameters("USERNAME", "quiz@example.com")
        .send()
        .await
        .map_err(error)
        .unwrap_err();
    assert_eq!(
        refused,
        (
            "InvalidParameterException".into(),
            "Custom auth lambda trigger is not configured for the user pool.".into()
        )
    );
}

#[tokio::test]
async fn custom_message_words_the_mailed_sign_in_code() {
    use aws_sdk_cognitoidentityprovider::types::{
        AuthFactorType, EmailConfigurationType, EmailSendingAccountType, SignInPolicyType,
        UserPoolPolicyType,
    };
    let (emulator, seen) = recording(|mut event| {
        event["response"]["emailSubject"] = json!("Your Acme sign-in code");
        Ok(event)
    });
    let (emulator, cognito) = start_with(emulator).await;
    let pool = cognito
        .create_user_pool()
        .pool_name("otp")
        .lambda_config(LambdaConfigType::builder().custom_message(ARN).build())
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
    let client = app_client(&cognito, &pool, &[ExplicitAuthFlowsType::AllowUserAuth]).await;
    common::confirmed_user(&cognito, &pool, "otto", Some("otto@example.com")).await;
    cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "otto")
        .auth_parameters("PREFERRED_CHALLENGE", "EMAIL_OTP")
        .send()
        .await
        .unwrap();
    let mail = emulator.outbox().to("otto@example.com").pop().unwrap();
    assert_eq!(mail.subject.as_deref(), Some("Your Acme sign-in code"));
    assert_eq!(
        seen.lock().unwrap()[0]["triggerSource"],
        "CustomMessage_Authentication"
    );
}

#[tokio::test]
async fn token_generation_sources_name_what_made_the_tokens() {
    use aws_sdk_cognitoidentityprovider::types::{ChallengeNameType, MessageActionType};
    let (emulator, seen) = recording(Ok);
    let (_emulator, cognito) = start_with(emulator).await;
    let (pool, client) = pool(
        &cognito,
        LambdaConfigType::builder()
            .pre_token_generation(ARN)
            .post_authentication(ARN)
            .build(),
    )
    .await;
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("pia@example.com")
        .temporary_password(PW)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let out = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "pia@example.com")
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap();
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(out.session.unwrap())
        .challenge_responses("USERNAME", "pia@example.com")
        .challenge_responses("NEW_PASSWORD", "Bb123456!")
        .send()
        .await
        .unwrap();
    let refresh = done.authentication_result.unwrap().refresh_token.unwrap();
    cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&client)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await
        .unwrap();
    let sources: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].clone())
        .collect();
    assert_eq!(
        sources,
        [
            json!("TokenGeneration_NewPasswordChallenge"),
            json!("PostAuthentication_Authentication"),
            json!("TokenGeneration_RefreshTokens"),
        ],
        "a refresh is not a sign-in: no PostAuthentication"
    );
}

#[tokio::test]
async fn custom_authentication_may_start_with_the_password_by_srp() {
    use aws_cognito_srp::{SrpClient, User, UserAuthenticationParameters, VerificationParameters};
    use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;
    let (emulator, seen) = recording(|mut event| {
        match event["triggerSource"].as_str().unwrap_or_default() {
            "DefineAuthChallenge_Authentication" => {
                let session = event["request"]["session"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let last = session.last().cloned().unwrap_or(json!({}));
                let response = &mut event["response"];
                match (
                    last["challengeName"].as_str(),
                    last["challengeResult"] == true,
                ) {
                    (Some("SRP_A"), true) => response["challengeName"] = json!("PASSWORD_VERIFIER"),
                    (Some("PASSWORD_VERIFIER"), true) => {
                        response["challengeName"] = json!("CUSTOM_CHALLENGE")
                    }
                    (Some("CUSTOM_CHALLENGE"), true) => response["issueTokens"] = json!(true),
                    _ => response["failAuthentication"] = json!(true),
                }
            }
            "CreateAuthChallenge_Authentication" => {
                event["response"]["publicChallengeParameters"] = json!({"question": "colour?"});
                event["response"]["privateChallengeParameters"] = json!({"answer": "blue"});
            }
            "VerifyAuthChallengeResponse_Authentication" => {
                let right = event["request"]["challengeAnswer"] == "blue";
                event["response"]["answerCorrect"] = json!(right);
            }
            _ => {}
        }
        Ok(event)
    });
    let (_emulator, cognito) = start_with(emulator).await;
    let (pool_id, _) = pool(
        &cognito,
        LambdaConfigType::builder()
            .define_auth_challenge(ARN)
            .create_auth_challenge(ARN)
            .verify_auth_challenge_response(ARN)
            .build(),
    )
    .await;
    let client = app_client(&cognito, &pool_id, &[]).await;
    common::confirmed_user(&cognito, &pool_id, "sam@example.com", None).await;
    let attempt = |password: &'static str| {
        let cognito = cognito.clone();
        let (pool_id, client) = (pool_id.clone(), client.clone());
        async move {
            let srp = SrpClient::new(
                User::new(&pool_id, "sam@example.com", password),
                &client,
                None,
            );
            let UserAuthenticationParameters { a, username } = srp.get_auth_parameters();
            let out = cognito
                .initiate_auth()
                .auth_flow(AuthFlowType::CustomAuth)
                .client_id(&client)
                .auth_parameters("USERNAME", &username)
                .auth_parameters("SRP_A", &a)
                .auth_parameters("CHALLENGE_NAME", "SRP_A")
                .send()
                .await
                .unwrap();
            assert_eq!(
                out.challenge_name,
                Some(ChallengeNameType::PasswordVerifier)
            );
            let c = out.challenge_parameters.unwrap();
            let VerificationParameters {
                password_claim_secret_block,
                password_claim_signature,
                timestamp,
            } = srp
                .verify(
                    &c["SECRET_BLOCK"],
                    &c["USER_ID_FOR_SRP"],
                    &c["SALT"],
                    &c["SRP_B"],
                )
                .unwrap();
            cognito
                .respond_to_auth_challenge()
                .client_id(&client)
                .challenge_name(ChallengeNameType::PasswordVerifier)
                .challenge_responses("USERNAME", &c["USER_ID_FOR_SRP"])
                .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", password_claim_secret_block)
                .challenge_responses("PASSWORD_CLAIM_SIGNATURE", password_claim_signature)
                .challenge_responses("TIMESTAMP", timestamp)
                .send()
                .await
                .map_err(error)
        }
    };
    // The right password leads to the trigger's own question.
    let after_password = attempt(PW).await.unwrap();
    assert_eq!(
        after_password.challenge_name,
        Some(ChallengeNameType::CustomChallenge)
    );
    assert_eq!(
        after_password.challenge_parameters.unwrap()["question"],
        "colour?"
    );
    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(after_password.session.unwrap())
        .challenge_responses("USERNAME", "sam@example.com")
        .challenge_responses("ANSWER", "blue")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result.unwrap().access_token.is_some());
    let last_define = seen
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["triggerSource"] == "DefineAuthChallenge_Authentication")
        .cloned()
        .unwrap();
    let names: Vec<&str> = last_define["request"]["session"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["challengeName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["SRP_A", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"]);
    // A wrong password ends it there.
    assert_eq!(
        attempt("Wrong-password1").await.unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
}
