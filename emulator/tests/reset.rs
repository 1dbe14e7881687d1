//! `POST /_emulator/reset` empties the emulator or one region of it, and the outbox keeps
//! at most its limit of mails, saying how many it dropped.

use crate::common;

use aws_sdk_cognitoidentityprovider::types::AttributeType;
use cognito_emulator::context::RequestContext;
use cognito_emulator::Emulator;
use common::{app_client, start_with, PW};
use serde_json::{json, Value};

#[tokio::test]
async fn reset_empties_a_region_or_everything_and_the_outbox_stays_within_its_limit() {
    let (emulator, cognito) = start_with(Emulator::new().outbox_limit(2)).await;
    let pool = common::email_verifying_pool(&cognito, "here").await;
    let client = app_client(&cognito, &pool, &[]).await;
    for name in ["ann", "ben", "cal"] {
        cognito
            .sign_up()
            .client_id(&client)
            .username(name)
            .password(PW)
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(format!("{name}@example.com"))
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    let http = reqwest::Client::new();
    let outbox = || async {
        let body = http
            .get(format!("{}/_aws/ses", emulator.endpoint()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        serde_json::from_str::<Value>(&body).unwrap()
    };
    let kept = outbox().await;
    assert_eq!(kept["messages"].as_array().unwrap().len(), 2, "{kept}");
    assert_eq!(kept["dropped"], 1);
    assert!(
        emulator.outbox().to("ann@example.com").is_empty(),
        "the oldest went first"
    );

    // A pool in another region.
    let elsewhere = RequestContext::new("eu-west-1", "000000000000");
    emulator
        .cognito()
        .dispatch(&elsewhere, "CreateUserPool", json!({"PoolName": "there"}))
        .unwrap();
    let pools_in = |region: &str| {
        let ctx = RequestContext::new(region, "000000000000");
        emulator
            .cognito()
            .dispatch(&ctx, "ListUserPools", json!({"MaxResults": 10}))
            .unwrap()["UserPools"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((pools_in("us-east-1"), pools_in("eu-west-1")), (1, 1));

    let reset = |query: &'static str| {
        let http = http.clone();
        let url = format!("{}/_emulator/reset{query}", emulator.endpoint());
        async move {
            let r = http.post(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap()
        }
    };
    assert_eq!(reset("?region=eu-west-1").await["reset"], "eu-west-1");
    assert_eq!((pools_in("us-east-1"), pools_in("eu-west-1")), (1, 0));
    assert_eq!(outbox().await["messages"].as_array().unwrap().len(), 2);
    let all = reset("").await;
    assert_eq!(all["reset"], "all");
    assert_eq!(all["mailsDeleted"], 2);
    assert_eq!(pools_in("us-east-1"), 0);
    assert!(emulator.outbox().all().is_empty());
    // The pool's client is gone too.
    let e = cognito
        .sign_up()
        .client_id(&client)
        .username("dan")
        .password(PW)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        common::error(e.into_service_error()).0,
        "ResourceNotFoundException"
    );
    // The handle does the same without HTTP.
    emulator
        .cognito()
        .dispatch(&elsewhere, "CreateUserPool", json!({"PoolName": "again"}))
        .unwrap();
    emulator.reset(None);
    assert_eq!(pools_in("eu-west-1"), 0);
}
