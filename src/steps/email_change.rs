//! A signed-in user changes their e-mail address (UpdateUserAttributes): Cognito mails a
//! code to the new address, which stays unverified until the user proves it with the
//! code (VerifyUserAttribute). Where the address is the username, the new one is what
//! the user signs in with from then on.

use aws_sdk_cognitoidentityprovider::types::AttributeType;
use cucumber::when;

use super::auth::{access_token, log_in_as};
use super::params::{PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::naming;
use crate::world::{CognitoWorld, Delivery};

#[when(expr = "{person} changes {pronoun} e-mail address")]
async fn changes_address(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let token = access_token(world, &name)?;
    // A second address of the same person, unique to the scenario like the first.
    let new = naming::person_address(
        &format!("{name}-new"),
        &world.scenario_id,
        world.target.mail_domain(),
    );
    let attribute = AttributeType::builder()
        .name("email")
        .value(&new)
        .build()
        .map_err(|e| Error::unexpected("an attribute the SDK accepts", e))?;
    let outcome = world
        .cognito()
        .update_user_attributes()
        .access_token(token.expose())
        .user_attributes(attribute)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("UpdateUserAttributes", &e));
    if let Some(out) = world.record(outcome) {
        world.answer.delivery = Delivery::from_sdk(out.code_delivery_details_list().first());
        let person = world.person(&name);
        person.old_email = Some(std::mem::replace(&mut person.email, new));
        // Nothing was read at the new address yet.
        person.mail.read = 0;
    }
    Ok(())
}

#[when(expr = "{person} verifies {pronoun} new e-mail address with the code")]
async fn verifies_address(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let token = access_token(world, &name)?;
    let code = world
        .known(&name)?
        .mail
        .codes
        .last()
        .cloned()
        .ok_or(Error::Missing("a code read from the mail"))?;
    // No step checks a refusal here: a refused code fails the step at once, rather than
    // surfacing later as an address that stays unverified.
    world
        .cognito()
        .verify_user_attribute()
        .access_token(token.expose())
        .attribute_name("email")
        .code(code.expose())
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("VerifyUserAttribute", &e).into_error())?;
    Ok(())
}

#[when(expr = "{person} logs in with {pronoun} old e-mail address")]
async fn logs_in_with_old_address(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let person = world.known(&name)?.clone();
    let old = person
        .old_email
        .ok_or(Error::Missing("an e-mail address changed before"))?;
    log_in_as(world, &name, Some(&old), &person.password, None).await
}
