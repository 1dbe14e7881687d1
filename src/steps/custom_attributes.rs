//! Custom attributes: a pool holds attributes of its own (`custom:...`); a user sets them
//! at sign-up, and the id token carries them, to the app clients allowed to read them.

use aws_sdk_cognitoidentityprovider::types::{AttributeType, ExplicitAuthFlowsType};
use cucumber::{given, then, when};
use serde_json::Value;

use super::client::{create_client_with, ClientOptions};
use super::expect_eq;
use super::params::{CustomAttribute, PersonName};
use super::pool::{create_pool, PoolOptions};
use super::sign_up::sign_up_with;
use super::tokens::verified;
use crate::error::{Error, Result};
use crate::world::CognitoWorld;

#[given(expr = "a user pool with e-mail as the username and the custom attribute {attribute}")]
async fn pool_with_attribute(world: &mut CognitoWorld, attribute: CustomAttribute) -> Result<()> {
    let options = PoolOptions {
        email_username: true,
        custom_attributes: vec![attribute.schema_name().to_owned()],
        ..PoolOptions::default()
    };
    create_pool(world, "pool", options).await
}

/// A client for password sign-in that reads `read` (with the e-mail address and whether
/// it is verified) and writes `write` (with the e-mail address). Both lists are named,
/// because AWS's defaults for a client that names none cover only the standard
/// attributes.
async fn client_reading(
    world: &mut CognitoWorld,
    name: &str,
    read: &[&str],
    write: &[&str],
) -> Result<()> {
    let names = |extra: &[&str], base: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    let options = ClientOptions {
        flows: Some(vec![ExplicitAuthFlowsType::UserPasswordAuth]),
        read_attributes: Some(names(read, &["email", "email_verified"])),
        write_attributes: Some(names(write, &["email"])),
    };
    create_client_with(world, name, options).await
}

#[given(expr = "an app client {string} that reads and writes {attribute}")]
async fn client_reads_and_writes(
    world: &mut CognitoWorld,
    name: String,
    attribute: CustomAttribute,
) -> Result<()> {
    let attribute = [attribute.full_name()];
    client_reading(world, &name, &attribute, &attribute).await
}

#[given(expr = "an app client {string} that does not read {attribute}")]
async fn client_does_not_read(
    world: &mut CognitoWorld,
    name: String,
    _attribute: CustomAttribute,
) -> Result<()> {
    client_reading(world, &name, &[], &[]).await
}

#[when(expr = "{person} signs up with {attribute} {string}")]
async fn signs_up_with(
    world: &mut CognitoWorld,
    name: PersonName,
    attribute: CustomAttribute,
    value: String,
) -> Result<()> {
    let attribute = AttributeType::builder()
        .name(attribute.full_name())
        .value(value)
        .build()
        .map_err(|e| Error::unexpected("an attribute the SDK accepts", e))?;
    sign_up_with(world, &name, vec![attribute]).await
}

#[then(expr = "the id token carries {attribute} {string}")]
async fn id_token_carries(
    world: &mut CognitoWorld,
    attribute: CustomAttribute,
    value: String,
) -> Result<()> {
    let (id, _) = verified(world).await?;
    expect_eq(
        &format!("the id token's {}", attribute.full_name()),
        Some(&Value::String(value)),
        id.get(attribute.full_name()),
    )
}

#[then(expr = "the id token does not carry {attribute}")]
async fn id_token_lacks(world: &mut CognitoWorld, attribute: CustomAttribute) -> Result<()> {
    let (id, _) = verified(world).await?;
    expect_eq(
        &format!("the id token's {}", attribute.full_name()),
        None,
        id.get(attribute.full_name()),
    )
}
