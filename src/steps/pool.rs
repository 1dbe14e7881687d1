//! Creating, listing and describing the user pool.

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AuthFactorType, DefaultEmailOptionType, EmailConfigurationType,
    EmailSendingAccountType, ExplicitAuthFlowsType, SchemaAttributeType, SignInPolicyType,
    UserPoolPolicyType, UserPoolTierType, UserPoolType, UsernameAttributeType,
    VerifiedAttributeType,
};
use cucumber::{given, then, when};

use super::expect_eq;
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::naming::RUN_TAG;
use crate::world::{ClientRef, CognitoWorld, ListedPool, PoolRef};

/// How the scenario wants its pool.
#[derive(Default)]
pub(crate) struct PoolOptions {
    /// E-mail as the username, auto-verified.
    pub email_username: bool,
    /// The verified SES address the pool mails from (`SourceArn`, `ReplyToEmailAddress`).
    pub sender: Option<String>,
    /// Whether the pool sends through the scenario's own SES (`DEVELOPER`) rather than
    /// Cognito's default account; needs `sender`.
    pub ses_sending: bool,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`, when the pool lets users choose.
    pub first_factors: Vec<AuthFactorType>,
    /// Custom attributes (string, mutable), by their name without `custom:`.
    pub custom_attributes: Vec<String>,
}

pub(crate) async fn create_pool(
    world: &mut CognitoWorld,
    name: &str,
    options: PoolOptions,
) -> Result<()> {
    let full_name = world.pool_name(name);
    let mut request = world
        .cognito()
        .create_user_pool()
        .pool_name(&full_name)
        .user_pool_tags(RUN_TAG, &world.scenario_id);
    if options.email_username {
        request = request
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .username_attributes(UsernameAttributeType::Email);
    }
    if let Some(sender) = &options.sender {
        let arn = match world.target.ses_identity_arn() {
            Some(arn) => arn.to_owned(),
            None => format!(
                "arn:aws:ses:{}:{}:identity/{sender}",
                world.target.region(),
                world.target.account_id()
            ),
        };
        let mut config = EmailConfigurationType::builder()
            .source_arn(arn)
            .reply_to_email_address(sender);
        if options.ses_sending {
            config = config.email_sending_account(EmailSendingAccountType::Developer);
        }
        request = request.email_configuration(config.build());
    } else if options.ses_sending {
        return Err(Error::Missing("a verified SES sender"));
    }
    if !options.first_factors.is_empty() {
        let policy = SignInPolicyType::builder()
            .set_allowed_first_auth_factors(Some(options.first_factors))
            .build();
        request = request.policies(UserPoolPolicyType::builder().sign_in_policy(policy).build());
    }
    if options.ses_sending {
        // Choice-based sign-in and codes by e-mail need the Essentials plan (AWS's
        // default for new pools; said here so the scenario does not depend on it).
        request = request.user_pool_tier(UserPoolTierType::Essentials);
    }
    for attribute in options.custom_attributes {
        request = request.schema(
            SchemaAttributeType::builder()
                .name(attribute)
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        );
    }
    let out = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateUserPool", &e).into_error())?;
    let id = out
        .user_pool()
        .and_then(|p| p.id())
        .ok_or_else(|| Error::unexpected("CreateUserPool to return the pool id", "none"))?
        .to_owned();
    world.created.pools.push(id.clone());
    world.pools.current = Some(PoolRef {
        id,
        name: full_name,
    });
    Ok(())
}

/// The pool as DescribeUserPool reports it.
pub(crate) async fn describe(world: &CognitoWorld) -> Result<UserPoolType> {
    let out = world
        .cognito()
        .describe_user_pool()
        .user_pool_id(&world.pool()?.id)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("DescribeUserPool", &e).into_error())?;
    out.user_pool
        .ok_or_else(|| Error::unexpected("DescribeUserPool to return the pool", "none"))
}

#[when(
    expr = "I create the user pool {string} with e-mail auto-verification, e-mail as the username and the SES sender"
)]
async fn create_tutorial_pool(world: &mut CognitoWorld, name: String) -> Result<()> {
    let sender = world
        .pools
        .sender
        .clone()
        .ok_or(Error::Missing("a verified SES sender"))?;
    let options = PoolOptions {
        email_username: true,
        sender: Some(sender),
        ..PoolOptions::default()
    };
    create_pool(world, &name, options).await
}

#[given("a user pool with e-mail as the username and e-mail auto-verification")]
async fn email_pool(world: &mut CognitoWorld) -> Result<()> {
    let options = PoolOptions {
        email_username: true,
        ..PoolOptions::default()
    };
    create_pool(world, "pool", options).await
}

#[given("the user pool under test and its app client")]
async fn pool_under_test(world: &mut CognitoWorld) -> Result<()> {
    let Some(existing) = world.target.existing_pool().cloned() else {
        email_pool(world).await?;
        let flows = vec![ExplicitAuthFlowsType::UserPasswordAuth];
        return super::client::create_client(world, "cli", Some(flows)).await;
    };
    world.pools.current = Some(PoolRef {
        id: existing.pool_id.clone(),
        name: String::new(),
    });
    let pool = describe(world).await?;
    world.pools.current = Some(PoolRef {
        id: existing.pool_id,
        name: pool.name().unwrap_or_default().to_owned(),
    });
    world.clients.add(ClientRef {
        id: existing.client_id,
        name: "under test".to_owned(),
        secret: existing.client_secret,
    });
    Ok(())
}

#[given("a user pool created without options")]
async fn plain_pool(world: &mut CognitoWorld) -> Result<()> {
    create_pool(world, "plain", PoolOptions::default()).await
}

#[when("I list the user pools")]
async fn list_pools(world: &mut CognitoWorld) -> Result<()> {
    let mut pages = world
        .cognito()
        .list_user_pools()
        .max_results(10)
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ApiError::from_sdk("ListUserPools", &e).into_error())?;
        for p in page.user_pools() {
            listed.push(ListedPool {
                id: p.id().unwrap_or_default().to_owned(),
                name: p.name().unwrap_or_default().to_owned(),
                has_creation_date: p.creation_date().is_some(),
            });
        }
    }
    world.pools.listed = listed;
    Ok(())
}

#[then("my pool is not among them")]
async fn pool_not_listed(world: &mut CognitoWorld) -> Result<()> {
    let name = world.pool_name("helloWorld");
    match world.pools.listed.iter().find(|p| p.name == name) {
        None => Ok(()),
        Some(listed) => Err(Error::unexpected(
            format!("no pool named {name}"),
            &listed.id,
        )),
    }
}

#[then("my pool is among them, with its creation date")]
async fn pool_listed(world: &mut CognitoWorld) -> Result<()> {
    let pool = world.pool()?;
    let found = world.pools.listed.iter().find(|p| p.id == pool.id);
    match found {
        Some(listed) if listed.name == pool.name && listed.has_creation_date => Ok(()),
        Some(entry) => Err(Error::unexpected(
            format!("{} named {} with a creation date", pool.id, pool.name),
            format!("{entry:?}"),
        )),
        None => Err(Error::unexpected(
            format!("{} in the list", pool.id),
            format!("{} pools without it", world.pools.listed.len()),
        )),
    }
}

#[then("the pool id is the region, an underscore and 9 letters or digits")]
async fn pool_id_shape(world: &mut CognitoWorld) -> Result<()> {
    let id = &world.pool()?.id;
    let region = world.target.region();
    let ok = id
        .strip_prefix(region)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|suffix| {
            suffix.len() == 9 && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::unexpected(
            format!("an id like {region}_DpExb5BW8"),
            id,
        ))
    }
}

#[then("the pool confirms sign-ups with a code sent by e-mail")]
async fn confirms_with_code(world: &mut CognitoWorld) -> Result<()> {
    let pool = describe(world).await?;
    let option = pool
        .verification_message_template()
        .and_then(|t| t.default_email_option());
    expect_eq(
        "VerificationMessageTemplate.DefaultEmailOption",
        Some(&DefaultEmailOptionType::ConfirmWithCode),
        option,
    )
}

#[then(regex = r"^the pool sends mail through Cognito's default account( from the SES sender)?$")]
async fn sends_by_default(world: &mut CognitoWorld, from_sender: String) -> Result<()> {
    let pool = describe(world).await?;
    let config = pool.email_configuration();
    expect_eq(
        "EmailConfiguration.EmailSendingAccount",
        Some(&EmailSendingAccountType::CognitoDefault),
        config.and_then(|c| c.email_sending_account()),
    )?;
    if !from_sender.is_empty() {
        let sender = world
            .pools
            .sender
            .as_deref()
            .ok_or(Error::Missing("a verified SES sender"))?;
        let arn = config.and_then(|c| c.source_arn()).unwrap_or_default();
        if !arn.starts_with("arn:aws:ses:") || !arn.ends_with(&format!(":identity/{sender}")) {
            return Err(Error::unexpected(
                format!("a SourceArn naming the identity {sender}"),
                arn,
            ));
        }
        expect_eq(
            "EmailConfiguration.ReplyToEmailAddress",
            Some(sender),
            config.and_then(|c| c.reply_to_email_address()),
        )?;
    }
    Ok(())
}

#[then("the pool has the default password policy")]
async fn default_policy(world: &mut CognitoWorld) -> Result<()> {
    let pool = describe(world).await?;
    let policy = pool
        .policies()
        .and_then(|p| p.password_policy())
        .ok_or_else(|| Error::unexpected("a password policy", "none"))?;
    let got = (
        policy.minimum_length(),
        policy.require_uppercase(),
        policy.require_lowercase(),
        policy.require_numbers(),
        policy.require_symbols(),
        policy.temporary_password_validity_days(),
    );
    expect_eq(
        "(MinimumLength, RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols, TemporaryPasswordValidityDays)",
        (Some(8), true, true, true, true, 7),
        got,
    )
}

#[then("administrators may create users, whose temporary passwords last 7 days")]
async fn admin_create_defaults(world: &mut CognitoWorld) -> Result<()> {
    let pool = describe(world).await?;
    let config = pool
        .admin_create_user_config()
        .ok_or_else(|| Error::unexpected("an AdminCreateUserConfig", "none"))?;
    expect_eq(
        "AdminCreateUserConfig.AllowAdminCreateUserOnly",
        false,
        config.allow_admin_create_user_only(),
    )?;
    let days = pool
        .policies()
        .and_then(|p| p.password_policy())
        .map(|p| p.temporary_password_validity_days());
    expect_eq("TemporaryPasswordValidityDays", Some(7), days)
}

#[then("the pool has no MFA and no deletion protection")]
async fn no_mfa(world: &mut CognitoWorld) -> Result<()> {
    let pool = describe(world).await?;
    expect_eq(
        "MfaConfiguration",
        Some("OFF"),
        pool.mfa_configuration().map(|m| m.as_str()),
    )?;
    expect_eq(
        "DeletionProtection",
        Some("INACTIVE"),
        pool.deletion_protection().map(|d| d.as_str()),
    )
}
