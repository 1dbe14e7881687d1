//! Lambda triggers: the pool names one of the harness's own functions
//! ([`crate::triggers`]) in its `LambdaConfig`, and the scenario says what that function
//! does for its pool. Only the embedded target has these functions.

use aws_sdk_cognitoidentityprovider::types::builders::LambdaConfigTypeBuilder;
use aws_sdk_cognitoidentityprovider::types::{LambdaConfigType, UserPoolType};
use cucumber::{given, then, when};
use serde_json::json;

use super::expect_eq;
use super::params::PersonName;
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::naming;
use crate::triggers::{Function, TriggerRules, Triggers};
use crate::world::CognitoWorld;

/// The harness's functions, or why this target has none.
fn triggers(world: &CognitoWorld) -> Result<Triggers> {
    world
        .target
        .triggers()
        .cloned()
        .ok_or_else(|| Error::Target {
            target: world.target.kind().name(),
            reason: format!(
                "the harness's trigger functions run only in the embedded emulator: \
             scenarios that use them are tagged @{}",
                crate::triggers::TAG
            ),
        })
}

/// Says what the harness's functions do for the scenario's pool, and makes the pool call
/// `function` for its trigger.
async fn use_function(
    world: &mut CognitoWorld,
    function: Function,
    rules: impl FnOnce(&mut TriggerRules),
) -> Result<()> {
    let triggers = triggers(world)?;
    let pool_id = world.pool()?.id.clone();
    triggers.update(&pool_id, rules);
    let pool = super::pool::describe(world).await?;
    let arn = function.arn(world.target.region());
    let lambda = keeping(pool.lambda_config());
    let lambda = match function {
        Function::PreSignUp => lambda.pre_sign_up(arn),
        Function::PreTokenGeneration => lambda.pre_token_generation(arn),
    };
    update_pool(world, &pool, lambda.build()).await
}

/// A `LambdaConfig` with the triggers `current` names, to change one of them.
fn keeping(current: Option<&LambdaConfigType>) -> LambdaConfigTypeBuilder {
    let Some(c) = current else {
        return LambdaConfigType::builder();
    };
    let name = |arn: Option<&str>| arn.map(str::to_owned);
    LambdaConfigType::builder()
        .set_pre_sign_up(name(c.pre_sign_up()))
        .set_custom_message(name(c.custom_message()))
        .set_post_confirmation(name(c.post_confirmation()))
        .set_pre_authentication(name(c.pre_authentication()))
        .set_post_authentication(name(c.post_authentication()))
        .set_define_auth_challenge(name(c.define_auth_challenge()))
        .set_create_auth_challenge(name(c.create_auth_challenge()))
        .set_verify_auth_challenge_response(name(c.verify_auth_challenge_response()))
        .set_pre_token_generation(name(c.pre_token_generation()))
        .set_user_migration(name(c.user_migration()))
        .set_pre_token_generation_config(c.pre_token_generation_config().cloned())
        .set_custom_sms_sender(c.custom_sms_sender().cloned())
        .set_custom_email_sender(c.custom_email_sender().cloned())
        .set_kms_key_id(name(c.kms_key_id()))
        .set_inbound_federation(c.inbound_federation().cloned())
}

/// UpdateUserPool with `lambda`. UpdateUserPool resets whatever it is not given to its
/// default, so the pool's other settings, as DescribeUserPool reports them, go with it.
async fn update_pool(
    world: &CognitoWorld,
    pool: &UserPoolType,
    lambda: LambdaConfigType,
) -> Result<()> {
    world
        .cognito()
        .update_user_pool()
        .user_pool_id(&world.pool()?.id)
        .lambda_config(lambda)
        .set_policies(pool.policies().cloned())
        .set_deletion_protection(pool.deletion_protection().cloned())
        .set_auto_verified_attributes(Some(pool.auto_verified_attributes().to_vec()))
        .set_sms_verification_message(pool.sms_verification_message().map(str::to_owned))
        .set_email_verification_message(pool.email_verification_message().map(str::to_owned))
        .set_email_verification_subject(pool.email_verification_subject().map(str::to_owned))
        .set_verification_message_template(pool.verification_message_template().cloned())
        .set_sms_authentication_message(pool.sms_authentication_message().map(str::to_owned))
        .set_user_attribute_update_settings(pool.user_attribute_update_settings().cloned())
        .set_mfa_configuration(pool.mfa_configuration().cloned())
        .set_device_configuration(pool.device_configuration().cloned())
        .set_email_configuration(pool.email_configuration().cloned())
        .set_sms_configuration(pool.sms_configuration().cloned())
        .set_user_pool_tags(pool.user_pool_tags().cloned())
        .set_admin_create_user_config(pool.admin_create_user_config().cloned())
        .set_user_pool_add_ons(pool.user_pool_add_ons().cloned())
        .set_account_recovery_setting(pool.account_recovery_setting().cloned())
        .set_user_pool_tier(pool.user_pool_tier().cloned())
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("UpdateUserPool", &e).into_error())?;
    Ok(())
}

#[given(expr = "the pool's pre-sign-up trigger confirms addresses at {word}")]
async fn pre_sign_up_confirms(world: &mut CognitoWorld, domain: String) -> Result<()> {
    use_function(world, Function::PreSignUp, |rules| {
        rules.confirm_domain = Some(domain);
    })
    .await
}

#[given(expr = "the pool's pre-token-generation trigger adds the claim {word} = {word}")]
async fn pre_token_adds_claim(
    world: &mut CognitoWorld,
    claim: String,
    value: String,
) -> Result<()> {
    use_function(world, Function::PreTokenGeneration, |rules| {
        rules.id_token_claims.insert(claim, value);
    })
    .await
}

#[when(expr = "{person} signs up with an address at {word}")]
async fn sign_up_at(world: &mut CognitoWorld, name: PersonName, domain: String) -> Result<()> {
    // Still the scenario's own address, so that concurrent scenarios' mail never mixes.
    let email = naming::person_address(&name, &world.scenario_id, &domain);
    world.person(&name).email = email;
    super::sign_up::sign_up_with(world, &name, Vec::new()).await
}

#[then(expr = "{person} can log in without a code")]
async fn logs_in_without_code(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    world.take_error()?;
    expect_eq(
        "UserConfirmed of the sign-up",
        Some(true),
        world.answer.user_confirmed,
    )?;
    let password = world.known(&name)?.password.clone();
    super::auth::log_in_as(world, &name, None, &password, None).await?;
    world.current_tokens().map(drop)
}

#[then(expr = "no mail was sent to {person}")]
async fn no_mail(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    let mailbox = world.target.mailbox();
    let mails = mailbox
        .messages_to(&email)
        .await
        .map_err(|e| Error::unexpected(format!("the mail to {email}"), e))?;
    expect_eq(
        &format!("the number of mails to {email} in {}", mailbox.describe()),
        0,
        mails.len(),
    )
}

#[then(expr = "{person}'s id token says {word} {word}")]
async fn id_token_says(
    world: &mut CognitoWorld,
    name: PersonName,
    claim: String,
    value: String,
) -> Result<()> {
    let person = world.current_tokens()?.person.clone();
    expect_eq("whose tokens", name.to_string(), person)?;
    let (id, _) = super::tokens::verified(world).await?;
    expect_eq(
        &format!("the claim {claim}"),
        Some(&json!(value)),
        id.get(&claim),
    )
}
