//! Existing-pool mode, against the emulator: a pool made beforehand, as a team's own
//! infrastructure would, with a client that has a secret (so every call carries
//! SECRET_HASH). The run must pass, create no pool, and delete only the users it made.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, UsernameAttributeType, VerifiedAttributeType,
};
use cognito_e2e::sdk_config::emulator_sdk_config;
use cognito_e2e::secrets::Secret;
use cognito_e2e::{ExistingPool, Settings, TargetKind};

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let passed = runtime.block_on(async {
        let emulator = cognito_emulator::Emulator::new().start().await.expect("emulator");
        let config = emulator_sdk_config(&emulator.endpoint(), "us-east-1").await;
        let cognito = aws_sdk_cognitoidentityprovider::Client::new(&config);
        let pool = cognito
            .create_user_pool()
            .pool_name("staging")
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .username_attributes(UsernameAttributeType::Email)
            .send()
            .await
            .expect("pool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let client = cognito
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("app")
            .generate_secret(true)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await
            .expect("client")
            .user_pool_client
            .expect("client");
        cognito
            .admin_create_user()
            .user_pool_id(&pool)
            .username("bystander@example.com")
            .send()
            .await
            .expect("a user the run must not touch");

        let settings = Settings {
            kind: TargetKind::Endpoint,
            endpoint: Some(emulator.endpoint()),
            existing_pool: Some(ExistingPool {
                pool_id: pool.clone(),
                client_id: client.client_id().expect("client id").to_owned(),
                client_secret: client.client_secret().map(Secret::new),
            }),
            ..Settings::default()
        };
        let suite = common::suite_passes("existing-pool", settings, common::IfUnavailable::Fail).await;

        let pools = cognito.list_user_pools().max_results(60).send().await.expect("list");
        let users = cognito.list_users().user_pool_id(&pool).send().await.expect("users");
        let usernames: Vec<String> = users
            .users()
            .iter()
            .flat_map(|u| u.attributes())
            .filter(|a| a.name() == "email")
            .filter_map(|a| a.value().map(str::to_owned))
            .collect();
        let only_the_pool = pools.user_pools().len() == 1;
        let only_the_bystander = usernames == ["bystander@example.com"];
        println!(
            "existing-pool: suite passed: {suite}; pools afterwards: {}; users afterwards: {usernames:?}",
            pools.user_pools().len()
        );
        suite && only_the_pool && only_the_bystander
    });
    std::process::exit(i32::from(!passed));
}
