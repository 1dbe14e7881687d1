//! Reading the code from the mail Cognito sent, through the pool's own template.

use cucumber::{given, when};

use super::expect_eq;
use crate::error::Result;
use crate::mail::{extract_code, subject};
use crate::mailbox::wait_for_mail;
use crate::secrets::Secret;
use crate::world::CognitoWorld;

/// AWS's verification message when the pool sets none.
const DEFAULT_TEMPLATE: &str = "Your verification code is {####}. ";
/// AWS's verification subject when the pool sets none.
const DEFAULT_SUBJECT: &str = "Your verification code";

/// Waits for the next mail to `name`, checks its subject, and keeps the code found where
/// the pool's template puts `{####}`.
pub(crate) async fn read_code(
    world: &mut CognitoWorld,
    name: &str,
    expected_subject: &str,
) -> Result<()> {
    let person = world.known(name)?.clone();
    let mailbox = world.target.mailbox();
    let mail = wait_for_mail(
        mailbox,
        &person.email,
        person.mails_read,
        world.target.mail_timeout(),
    )
    .await?;
    expect_eq(
        "the mail's subject",
        Some(expected_subject.to_owned()),
        subject(&mail.raw)?,
    )?;
    let pool = super::pool::describe(world).await?;
    let template = pool
        .verification_message_template()
        .and_then(|t| t.email_message())
        .or(pool.email_verification_message())
        .unwrap_or(DEFAULT_TEMPLATE)
        .to_owned();
    let code = Secret::new(extract_code(&mail.raw, &template)?);
    let person = world.person(name);
    person.codes.push(code);
    person.mails_read += 1;
    Ok(())
}

#[when(regex = r"^(\w+) reads the code in the pool's verification mail$")]
async fn reads_pool_mail(world: &mut CognitoWorld, name: String) -> Result<()> {
    let pool = super::pool::describe(world).await?;
    let subject = pool
        .verification_message_template()
        .and_then(|t| t.email_subject())
        .or(pool.email_verification_subject())
        .unwrap_or(DEFAULT_SUBJECT)
        .to_owned();
    read_code(world, &name, &subject).await
}

#[given(regex = r#"^(\w+) has read the code in the mail "([^"]+)"$"#)]
#[when(regex = r#"^(\w+) reads the code in the mail "([^"]+)"$"#)]
async fn reads_code(world: &mut CognitoWorld, name: String, subject: String) -> Result<()> {
    read_code(world, &name, &subject).await
}
