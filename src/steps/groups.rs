//! Groups: an administrator puts users in groups, each with a precedence and maybe an
//! IAM role; a user's tokens list their groups (`cognito:groups`, lowest precedence
//! first), and the id token names the role of the group that takes precedence
//! (`cognito:preferred_role`).

use cucumber::{given, then, when};
use serde_json::{json, Value};

use super::expect_eq;
use super::params::{Names, PersonName};
use super::tokens::verified;
use crate::api_error::ApiError;
use crate::error::Result;
use crate::world::CognitoWorld;

/// The ARN of the IAM role the scenario calls `role`, in the target's account. Cognito
/// keeps a group's role as given; it need not exist for the tokens to name it.
fn role_arn(world: &CognitoWorld, role: &str) -> String {
    format!(
        "arn:aws:iam::{}:role/cognito-e2e-{role}",
        world.target.account_id()
    )
}

async fn create_group(
    world: &mut CognitoWorld,
    group: &str,
    precedence: i32,
    role: Option<&str>,
) -> Result<()> {
    world
        .cognito()
        .create_group()
        .user_pool_id(&world.pool()?.id)
        .group_name(group)
        .precedence(precedence)
        .set_role_arn(role.map(|r| role_arn(world, r)))
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateGroup", &e).into_error())?;
    Ok(())
}

#[given(expr = "the pool has the group {string} with precedence {int} and the role {string}")]
async fn group_with_role(
    world: &mut CognitoWorld,
    group: String,
    precedence: i32,
    role: String,
) -> Result<()> {
    create_group(world, &group, precedence, Some(&role)).await
}

#[given(expr = "the pool has the group {string} with precedence {int}")]
async fn group_without_role(
    world: &mut CognitoWorld,
    group: String,
    precedence: i32,
) -> Result<()> {
    create_group(world, &group, precedence, None).await
}

#[given(expr = "an administrator has added {person} to the group(s) {names}")]
async fn added_to_groups(world: &mut CognitoWorld, name: PersonName, groups: Names) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    let pool_id = world.pool()?.id.clone();
    for group in groups.0 {
        world
            .cognito()
            .admin_add_user_to_group()
            .user_pool_id(&pool_id)
            .username(&email)
            .group_name(group)
            .send()
            .await
            .map_err(|e| ApiError::from_sdk("AdminAddUserToGroup", &e).into_error())?;
    }
    Ok(())
}

#[when(expr = "an administrator removes {person} from the group {string}")]
async fn removes_from_group(
    world: &mut CognitoWorld,
    name: PersonName,
    group: String,
) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    world
        .cognito()
        .admin_remove_user_from_group()
        .user_pool_id(&world.pool()?.id)
        .username(email)
        .group_name(group)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminRemoveUserFromGroup", &e).into_error())?;
    Ok(())
}

#[then(expr = "the id and access tokens list the group(s) {names}")]
async fn tokens_list_groups(world: &mut CognitoWorld, groups: Names) -> Result<()> {
    let (id, access) = verified(world).await?;
    let expected = json!(groups.0);
    expect_eq(
        "the id token's cognito:groups",
        Some(&expected),
        id.get("cognito:groups"),
    )?;
    expect_eq(
        "the access token's cognito:groups",
        Some(&expected),
        access.get("cognito:groups"),
    )
}

#[then(expr = "the id token names the preferred role {string}")]
async fn preferred_role(world: &mut CognitoWorld, role: String) -> Result<()> {
    let (id, _) = verified(world).await?;
    expect_eq(
        "the id token's cognito:preferred_role",
        Some(&Value::String(role_arn(world, &role))),
        id.get("cognito:preferred_role"),
    )
}
