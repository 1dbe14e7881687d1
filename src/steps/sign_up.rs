//! Signing up, confirming, resending the code; the user's status as an administrator
//! sees it.

use aws_sdk_cognitoidentityprovider::types::AttributeType;
use cucumber::{given, then, when};

use super::expect_eq;
use super::params::{BrokenRule, PersonName, Pronoun, UserStatus, Verified};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::world::{strong_password, CognitoWorld, Delivery};

/// The tutorial's password, `Aa123456!`: it meets the default policy exactly.
const TUTORIAL_PASSWORD: &str = "Aa123456!";

/// Signs `username` up with `password` and `attributes`; the outcome is recorded for
/// later steps.
async fn sign_up_as(
    world: &mut CognitoWorld,
    username: &str,
    password: &Secret,
    attributes: Vec<AttributeType>,
) -> Result<Option<String>> {
    let client = world.client(None)?.clone();
    let outcome = world
        .cognito()
        .sign_up()
        .client_id(&client.id)
        .set_secret_hash(client.secret_hash(username))
        .username(username)
        .password(password.expose())
        .set_user_attributes((!attributes.is_empty()).then_some(attributes))
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("SignUp", &e));
    let signed_up = world.record(outcome).map(|out| {
        world.answer.user_confirmed = Some(out.user_confirmed());
        world.answer.delivery = Delivery::from_sdk(out.code_delivery_details());
        out.user_sub().to_owned()
    });
    if signed_up.is_some() {
        world.own_user(username)?;
    }
    Ok(signed_up)
}

async fn sign_up(world: &mut CognitoWorld, name: &str) -> Result<()> {
    sign_up_with(world, name, Vec::new()).await
}

/// Signs `name` up with their address, their password and `attributes`; the outcome is
/// recorded for later steps.
pub(crate) async fn sign_up_with(
    world: &mut CognitoWorld,
    name: &str,
    attributes: Vec<AttributeType>,
) -> Result<()> {
    let person = world.person(name).clone();
    if let Some(sub) = sign_up_as(world, &person.email, &person.password, attributes).await? {
        world.person(name).sub = Some(sub);
    }
    Ok(())
}

async fn signed_up(world: &mut CognitoWorld, name: &str) -> Result<()> {
    sign_up(world, name).await?;
    world.take_error()
}

#[when(expr = "{person} signs up with the tutorial's password")]
async fn sign_up_tutorial(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    world.person(&name).password = Secret::new(TUTORIAL_PASSWORD);
    sign_up(world, &name).await
}

#[given(expr = "{person} has signed up")]
#[when(expr = "{person} signs up")]
async fn has_signed_up(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    signed_up(world, &name).await
}

#[given(expr = "{person} has signed up and been confirmed by an administrator")]
async fn signed_up_admin_confirmed(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    signed_up(world, &name).await?;
    admin_confirm(world, name).await?;
    world.take_error()
}

#[given(expr = "{person} has signed up and confirmed with the mailed code")]
async fn signed_up_confirmed_by_code(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    signed_up(world, &name).await?;
    super::mail::read_code(world, &name, "Your verification code").await?;
    confirm(world, &name, None).await?;
    world.take_error()
}

/// A password of the right shape except for the one rule it breaks.
fn breaking_password(rule: BrokenRule) -> String {
    match rule {
        BrokenRule::TooShort => "Aa1!aa".to_owned(),
        BrokenRule::NoLowercase => strong_password().to_uppercase(),
        BrokenRule::NoUppercase => strong_password().to_lowercase(),
        BrokenRule::NoDigit => strong_password().replace(|c: char| c.is_ascii_digit(), "x"),
        BrokenRule::NoSymbol => strong_password().replace('!', "Q"),
    }
}

#[when(expr = "{person} signs up with a password that {rule}")]
async fn sign_up_weak(world: &mut CognitoWorld, name: PersonName, rule: BrokenRule) -> Result<()> {
    world.person(&name).password = Secret::new(breaking_password(rule));
    sign_up(world, &name).await
}

#[when(expr = "{person} signs up again with the same e-mail address")]
async fn sign_up_again(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    sign_up_as(world, &email, &Secret::new(strong_password()), Vec::new()).await?;
    Ok(())
}

#[when(expr = "someone signs up with the username {string}")]
async fn sign_up_username(world: &mut CognitoWorld, username: String) -> Result<()> {
    sign_up_as(
        world,
        &username,
        &Secret::new(strong_password()),
        Vec::new(),
    )
    .await?;
    Ok(())
}

#[then("the sign-up is not confirmed yet")]
async fn not_confirmed_yet(world: &mut CognitoWorld) -> Result<()> {
    if let Some(e) = &world.answer.error {
        return Err(Error::unexpected("a successful sign-up", e));
    }
    expect_eq("UserConfirmed", Some(false), world.answer.user_confirmed)
}

/// How Cognito shows an address it sent a code to: `a***@e***` (the first letter of the
/// local part and of the domain) as it does today, then `a***@e***.com` as it did
/// before, with the top-level domain. A real target may answer in either form.
pub(crate) fn masked(address: &str) -> [String; 2] {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let tld = domain.rsplit('.').next().unwrap_or_default();
    let current = format!("{}***@{}***", first(local), first(domain));
    let older = format!("{current}.{tld}");
    [current, older]
}

#[then(expr = "the code was sent by EMAIL to {person}'s masked address")]
async fn code_sent(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    if let Some(e) = &world.answer.error {
        return Err(Error::unexpected("a code delivery", e));
    }
    let email = world.known(&name)?.email.clone();
    let got = world.answer.delivery.clone();
    let forms = masked(&email);
    // Either form passes; a mismatch is reported against today's form.
    let destination = got
        .as_ref()
        .map(|d| d.destination.clone())
        .filter(|d| forms.contains(d))
        .unwrap_or_else(|| forms[0].clone());
    let expected = Delivery {
        medium: "EMAIL".to_owned(),
        attribute: "email".to_owned(),
        destination,
    };
    expect_eq("CodeDeliveryDetails", Some(expected), got)
}

/// The user's status and attributes, as AdminGetUser reports them.
async fn admin_get(world: &CognitoWorld, name: &str) -> Result<(String, Vec<AttributeType>)> {
    let email = world.known(name)?.email.clone();
    let out = world
        .cognito()
        .admin_get_user()
        .user_pool_id(&world.pool()?.id)
        .username(email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminGetUser", &e).into_error())?;
    let status = out
        .user_status()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    Ok((status, out.user_attributes().to_vec()))
}

#[then(expr = "{person} is {status}")]
async fn has_status(world: &mut CognitoWorld, name: PersonName, status: UserStatus) -> Result<()> {
    let (got, _) = admin_get(world, &name).await?;
    expect_eq(&format!("{name}'s status"), status.as_str(), got.as_str())
}

#[then(expr = "{person}'s e-mail address is {verified}")]
async fn email_verified(world: &mut CognitoWorld, name: PersonName, state: Verified) -> Result<()> {
    let (_, attributes) = admin_get(world, &name).await?;
    let verified = attributes
        .iter()
        .any(|a| a.name() == "email_verified" && a.value() == Some("true"));
    expect_eq("email_verified", state.0, verified)
}

#[when(expr = "an administrator confirms {person}'s sign-up")]
async fn admin_confirm(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    let outcome = world
        .cognito()
        .admin_confirm_sign_up()
        .user_pool_id(&world.pool()?.id)
        .username(email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminConfirmSignUp", &e));
    world.record(outcome);
    Ok(())
}

/// Confirms `name`'s sign-up with `code`, or with the latest code read when `None`.
async fn confirm(world: &mut CognitoWorld, name: &str, code: Option<Secret>) -> Result<()> {
    let person = world.known(name)?.clone();
    let code = match code {
        Some(c) => c,
        None => person
            .mail
            .codes
            .last()
            .cloned()
            .ok_or(Error::Missing("a code read from the mail"))?,
    };
    let client = world.client(None)?.clone();
    let outcome = world
        .cognito()
        .confirm_sign_up()
        .client_id(&client.id)
        .set_secret_hash(client.secret_hash(&person.email))
        .username(&person.email)
        .confirmation_code(code.expose())
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("ConfirmSignUp", &e));
    world.record(outcome);
    Ok(())
}

#[when(expr = "{person} confirms {pronoun} sign-up with the code")]
async fn confirm_with_code(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    confirm(world, &name, None).await
}

#[when(expr = "{person} confirms {pronoun} sign-up with the first code")]
async fn confirm_with_first_code(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let first = world.known(&name)?.mail.codes.first().cloned();
    let first = first.ok_or(Error::Missing("a first code read from the mail"))?;
    confirm(world, &name, Some(first)).await
}

#[when(expr = "{person} confirms {pronoun} sign-up with a wrong code")]
async fn confirm_with_wrong_code(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let real = world.known(&name)?.mail.codes.last().cloned();
    let real = real.ok_or(Error::Missing("a code read from the mail"))?;
    // Every digit shifted by one: always a different code of the same shape.
    let wrong: String = real
        .expose()
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_digit((d + 1) % 10, 10).unwrap_or(c))
        })
        .collect();
    confirm(world, &name, Some(Secret::new(wrong))).await
}

#[when(expr = "{person} asks for the code to be sent again")]
async fn resend(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    let client = world.client(None)?.clone();
    let outcome = world
        .cognito()
        .resend_confirmation_code()
        .client_id(&client.id)
        .set_secret_hash(client.secret_hash(&email))
        .username(email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("ResendConfirmationCode", &e));
    if let Some(out) = world.record(outcome) {
        world.answer.delivery = Delivery::from_sdk(out.code_delivery_details());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn masks_in_todays_form_and_the_older_one() {
        assert_eq!(masked("test@test.com"), ["t***@t***", "t***@t***.com"]);
        assert_eq!(
            masked("allen.hsieh.aws@gmail.com"),
            ["a***@g***", "a***@g***.com"]
        );
        assert_eq!(masked("u@mail.example.co.uk")[1], "u***@m***.uk");
    }
}
