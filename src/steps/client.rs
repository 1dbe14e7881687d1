//! Creating and describing app clients.

use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, UserPoolClientType};
use cucumber::{given, then, when};

use super::expect_eq;
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::world::{ClientRef, CognitoWorld};

pub(crate) async fn create_client(
    world: &mut CognitoWorld,
    name: &str,
    flows: Option<Vec<ExplicitAuthFlowsType>>,
) -> Result<()> {
    let options = ClientOptions {
        flows,
        ..ClientOptions::default()
    };
    create_client_with(world, name, options).await
}

/// How the scenario wants an app client; `None` leaves a setting to AWS's default.
#[derive(Default)]
pub(crate) struct ClientOptions {
    /// `ExplicitAuthFlows`.
    pub flows: Option<Vec<ExplicitAuthFlowsType>>,
    /// `ReadAttributes`: what the client reads, and what its id tokens carry.
    pub read_attributes: Option<Vec<String>>,
    /// `WriteAttributes`: what the client may set.
    pub write_attributes: Option<Vec<String>>,
}

pub(crate) async fn create_client_with(
    world: &mut CognitoWorld,
    name: &str,
    options: ClientOptions,
) -> Result<()> {
    let out = world
        .cognito()
        .create_user_pool_client()
        .user_pool_id(&world.pool()?.id)
        .client_name(name)
        .set_explicit_auth_flows(options.flows)
        .set_read_attributes(options.read_attributes)
        .set_write_attributes(options.write_attributes)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateUserPoolClient", &e).into_error())?;
    let id = out
        .user_pool_client()
        .and_then(|c| c.client_id())
        .ok_or_else(|| Error::unexpected("CreateUserPoolClient to return a client id", "none"))?
        .to_owned();
    world.clients.add(ClientRef {
        id,
        name: name.to_owned(),
        secret: None,
    });
    Ok(())
}

async fn describe(world: &CognitoWorld) -> Result<UserPoolClientType> {
    let out = world
        .cognito()
        .describe_user_pool_client()
        .user_pool_id(&world.pool()?.id)
        .client_id(&world.client(None)?.id)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("DescribeUserPoolClient", &e).into_error())?;
    out.user_pool_client
        .ok_or_else(|| Error::unexpected("DescribeUserPoolClient to return the client", "none"))
}

#[given(expr = "an app client {string} with the USER_PASSWORD_AUTH flow")]
#[when(expr = "I create the app client {string} with the USER_PASSWORD_AUTH flow")]
async fn password_client(world: &mut CognitoWorld, name: String) -> Result<()> {
    create_client(
        world,
        &name,
        Some(vec![ExplicitAuthFlowsType::UserPasswordAuth]),
    )
    .await
}

#[given(expr = "an app client {string} without the USER_PASSWORD_AUTH flow")]
async fn srp_client(world: &mut CognitoWorld, name: String) -> Result<()> {
    let flows = vec![
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
    ];
    create_client(world, &name, Some(flows)).await
}

#[given(expr = "an app client {string} created without options")]
async fn plain_client(world: &mut CognitoWorld, name: String) -> Result<()> {
    create_client(world, &name, None).await
}

#[then("the client id is 26 lowercase letters or digits")]
async fn client_id_shape(world: &mut CognitoWorld) -> Result<()> {
    let id = &world.client(None)?.id;
    let ok = id.len() == 26
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::unexpected(
            "an id like 400d11al9p25pmjg3igflo5h4i",
            id,
        ))
    }
}

#[then("the client refreshes for 30 days, revokes tokens and has no OAuth flows")]
async fn client_defaults(world: &mut CognitoWorld) -> Result<()> {
    let client = describe(world).await?;
    expect_eq("RefreshTokenValidity", 30, client.refresh_token_validity())?;
    let units = client.token_validity_units();
    let no_units = units.is_none_or(|u| {
        u.access_token().is_none() && u.id_token().is_none() && u.refresh_token().is_none()
    });
    expect_eq("TokenValidityUnits to be empty", true, no_units)?;
    expect_eq(
        "EnableTokenRevocation",
        Some(true),
        client.enable_token_revocation(),
    )?;
    expect_eq(
        "AllowedOAuthFlowsUserPoolClient",
        Some(false),
        client.allowed_o_auth_flows_user_pool_client(),
    )?;
    expect_eq("AllowedOAuthFlows", 0, client.allowed_o_auth_flows().len())
}

#[then("the client tells apart unknown users and wrong passwords")]
async fn legacy_user_existence(world: &mut CognitoWorld) -> Result<()> {
    let client = describe(world).await?;
    // AWS: "Defaults to LEGACY" — reported as LEGACY or left out.
    let setting = client.prevent_user_existence_errors().map(|p| p.as_str());
    match setting {
        None | Some("LEGACY") => Ok(()),
        Some(other) => Err(Error::unexpected(
            "PreventUserExistenceErrors LEGACY",
            other,
        )),
    }
}

#[then(expr = "the client {string} is in the pool's list of clients")]
async fn client_listed(world: &mut CognitoWorld, name: String) -> Result<()> {
    let client = world.client(Some(&name))?;
    let out = world
        .cognito()
        .list_user_pool_clients()
        .user_pool_id(&world.pool()?.id)
        .max_results(10)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("ListUserPoolClients", &e).into_error())?;
    let listed: Vec<(Option<&str>, Option<&str>, Option<&str>)> = out
        .user_pool_clients()
        .iter()
        .map(|c| (c.client_id(), c.client_name(), c.user_pool_id()))
        .collect();
    let wanted = (
        Some(client.id.as_str()),
        Some(name.as_str()),
        Some(world.pool()?.id.as_str()),
    );
    if listed.contains(&wanted) {
        Ok(())
    } else {
        Err(Error::unexpected(
            format!("{wanted:?} in the list"),
            format!("{listed:?}"),
        ))
    }
}
