//! The HTTP front, driven through the router without a socket: protocol shapes, routing,
//! hostile input.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::clock::SystemClock;
use cognito_emulator::cognito::Cognito;
use cognito_emulator::http::{router, AppState};
use cognito_emulator::mailer::Mailer;
use cognito_emulator::ses::Ses;
use cognito_emulator::Outbox;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn app() -> axum::Router {
    let outbox = Outbox::new();
    let mailer = Mailer::new(outbox.clone(), None, Arc::new(SystemClock));
    router(AppState {
        cognito: Arc::new(Cognito::new(Arc::new(SystemClock), mailer.clone())),
        ses: Arc::new(Ses::new(mailer, Arc::new(SystemClock))),
        outbox,
        default_region: "us-east-1".into(),
        account_id: "000000000000".into(),
    })
}

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, Option<String>, Vec<u8>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let error_type = response
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, error_type, body)
}

fn cognito(op: &str, body: &str) -> Request<Body> {
    Request::post("/")
        .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{op}"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/eu-central-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn errors_have_the_json_1_1_shape() {
    let app = app();
    let (status, error_type, body) = send(
        &app,
        cognito("DescribeUserPool", r#"{"UserPoolId":"eu-central-1_nope"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_type.as_deref(), Some("ResourceNotFoundException"));
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        json!({"__type": "ResourceNotFoundException", "message": "User pool eu-central-1_nope does not exist."})
    );
}

#[tokio::test]
async fn the_signing_region_names_the_pool() {
    let app = app();
    let (status, _, body) = send(&app, cognito("CreateUserPool", r#"{"PoolName":"x"}"#)).await;
    assert_eq!(status, StatusCode::OK);
    let body: Value = serde_json::from_slice(&body).unwrap();
    let id = body["UserPool"]["Id"].as_str().unwrap();
    assert!(id.starts_with("eu-central-1_"));

    let (status, _, jwks) = send(
        &app,
        Request::get(format!("/{id}/.well-known/jwks.json"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let jwks: Value = serde_json::from_slice(&jwks).unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(jwks["keys"][0]["alg"], "RS256");

    let (_, _, config) = send(
        &app,
        Request::get(format!("/{id}/.well-known/openid-configuration"))
            .header("host", "localhost:4566")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let config: Value = serde_json::from_slice(&config).unwrap();
    assert_eq!(
        config["issuer"],
        format!("https://cognito-idp.eu-central-1.amazonaws.com/{id}")
    );
    assert_eq!(
        config["jwks_uri"],
        format!("http://localhost:4566/{id}/.well-known/jwks.json")
    );
}

#[tokio::test]
async fn hostile_bodies_get_aws_errors_never_a_panic() {
    let app = app();
    for body in [
        "{",
        "[]",
        "\"x\"",
        "\u{0}\u{ff}",
        r#"{"PoolName": 7}"#,
        r#"{"PoolName": ""}"#,
    ] {
        let (status, error_type, _) = send(&app, cognito("CreateUserPool", body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}");
        assert!(error_type.is_some(), "{body:?}");
    }
    let (status, error_type, _) = send(&app, cognito("NoSuchThing", "{}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_type.as_deref(), Some("UnknownOperationException"));
    let request = Request::post("/")
        .header("x-amz-target", "DynamoDB_20120810.ListTables")
        .body(Body::from("{}"))
        .unwrap();
    let (status, error_type, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_type.as_deref(), Some("UnknownOperationException"));
}

#[tokio::test]
async fn the_outbox_serves_localstack_shape_and_filters() {
    let app = app();
    let form = |body: &str| {
        Request::post("/")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "localhost:4566")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, _, _) = send(
        &app,
        form("Action=VerifyEmailIdentity&Version=2010-12-01&EmailAddress=s%40example.com"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, body) = send(
        &app,
        Request::get("/_aws/ses?to=s@example.com")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let outbox: Value = serde_json::from_slice(&body).unwrap();
    let message = &outbox["messages"][0];
    for key in [
        "Id",
        "Region",
        "Source",
        "Destination",
        "Subject",
        "Body",
        "RawData",
        "Timestamp",
    ] {
        assert!(message.get(key).is_some(), "{key} missing");
    }
    assert_eq!(
        message["Destination"]["ToAddresses"],
        json!(["s@example.com"])
    );
    let (_, _, body) = send(
        &app,
        Request::get("/_aws/ses?to=other@example.com")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"messages": [], "dropped": 0})
    );
    let (status, _, _) = send(
        &app,
        Request::delete("/_aws/ses").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, _, body) = send(&app, Request::get("/_aws/ses").body(Body::empty()).unwrap()).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"messages": [], "dropped": 0})
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_in_the_aws_shape() {
    let app = app();
    let huge = vec![b' '; cognito_emulator::http::MAX_BODY_BYTES + 1];
    let (status, error_type, body) = send(
        &app,
        cognito("SignUp", &String::from_utf8(huge.clone()).unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        error_type.as_deref(),
        Some("RequestEntityTooLargeException")
    );
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["message"].is_string());
    let request = Request::post("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(huge))
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(String::from_utf8_lossy(&body).contains("<Code>RequestEntityTooLarge</Code>"));
}

#[tokio::test]
async fn a_pool_may_name_an_unverified_sender() {
    let app = app();
    let body = r#"{"PoolName":"p","EmailConfiguration":{"SourceArn":"arn:aws:ses:eu-central-1:000000000000:identity/unverified@example.com"}}"#;
    let (status, _, _) = send(&app, cognito("CreateUserPool", body)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "accepted, with a warning in the log"
    );
}
