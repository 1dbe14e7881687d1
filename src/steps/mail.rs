//! Reading the code from the mail Cognito sent, through the pool's own template.

use cucumber::{given, when};

use super::expect_eq;
use super::params::PersonName;
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::mail::{extract_code, subject};
use crate::mailbox::wait_for_mail;
use crate::secrets::Secret;
use crate::world::CognitoWorld;

/// AWS's verification message when the pool sets none.
const DEFAULT_TEMPLATE: &str = "Your verification code is {####}. ";
/// AWS's verification subject when the pool sets none.
const DEFAULT_SUBJECT: &str = "Your verification code";

/// AWS's invitation message when the pool sets none.
const DEFAULT_INVITATION: &str = "Your username is {username} and temporary password is {####}. ";

/// Which of the pool's messages a mail was made from.
pub(crate) enum Template {
    /// The verification message: `{####}` is a code.
    Verification,
    /// The invitation an administrator's new user gets: `{####}` is a temporary password.
    Invitation,
    /// A sign-in code (passwordless, or MFA by e-mail): the pool's
    /// `EmailMfaConfiguration.Message`. AWS does not document its default message, so
    /// the pool must set one for the code to be found.
    SignInCode,
}

/// Waits for the next mail to `name`, checks its subject, and keeps the code found where
/// the pool's template puts `{####}`.
pub(crate) async fn read_code(
    world: &mut CognitoWorld,
    name: &str,
    expected_subject: &str,
) -> Result<()> {
    let code = read_secret(world, name, expected_subject, Template::Verification).await?;
    world.person(name).mail.codes.push(code);
    Ok(())
}

/// Waits for the next mail to `name`, checks its subject, and returns what stands where
/// the pool's `template` puts `{####}`.
pub(crate) async fn read_secret(
    world: &mut CognitoWorld,
    name: &str,
    expected_subject: &str,
    template: Template,
) -> Result<Secret> {
    let person = world.known(name)?.clone();
    let mailbox = world.target.mailbox();
    let mail = wait_for_mail(
        mailbox,
        &person.email,
        person.mail.read,
        world.target.mail_timeout(),
    )
    .await?;
    expect_eq(
        "the mail's subject",
        Some(expected_subject.to_owned()),
        subject(&mail.raw)?,
    )?;
    let template = match template {
        Template::SignInCode => sign_in_template(world).await?,
        Template::Verification | Template::Invitation => {
            let pool = super::pool::describe(world).await?;
            match template {
                Template::Invitation => pool
                    .admin_create_user_config()
                    .and_then(|c| c.invite_message_template())
                    .and_then(|t| t.email_message())
                    .unwrap_or(DEFAULT_INVITATION),
                _ => pool
                    .verification_message_template()
                    .and_then(|t| t.email_message())
                    .or(pool.email_verification_message())
                    .unwrap_or(DEFAULT_TEMPLATE),
            }
            .to_owned()
        }
    };
    let secret = Secret::new(extract_code(&mail.raw, &template)?);
    world.person(name).mail.read += 1;
    if let Some(seen) = crate::evidence::MailSeen::parse(&mail.raw) {
        world.evidence.mails.push(seen);
    }
    Ok(secret)
}

/// The message the pool mails sign-in codes in (`EmailMfaConfiguration.Message`).
async fn sign_in_template(world: &CognitoWorld) -> Result<String> {
    let out = world
        .cognito()
        .get_user_pool_mfa_config()
        .user_pool_id(&world.pool()?.id)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("GetUserPoolMfaConfig", &e).into_error())?;
    out.email_mfa_configuration()
        .and_then(|c| c.message())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::unexpected(
                "the pool's message for sign-in codes (EmailMfaConfiguration.Message)",
                "none: the pool should set one, AWS's default is not documented",
            )
        })
}

#[when(expr = "{person} reads the code in the pool's verification mail")]
async fn reads_pool_mail(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let pool = super::pool::describe(world).await?;
    let subject = pool
        .verification_message_template()
        .and_then(|t| t.email_subject())
        .or(pool.email_verification_subject())
        .unwrap_or(DEFAULT_SUBJECT)
        .to_owned();
    read_code(world, &name, &subject).await
}

#[given(expr = "{person} has read the code in the mail {string}")]
#[when(expr = "{person} reads the code in the mail {string}")]
async fn reads_code(world: &mut CognitoWorld, name: PersonName, subject: String) -> Result<()> {
    read_code(world, &name, &subject).await
}
