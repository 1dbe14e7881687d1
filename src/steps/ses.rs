//! The tutorial's prerequisite: a sender address verified in SES.

use std::time::{Duration, Instant};

use cucumber::given;

use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::mail;
use crate::mailbox::wait_for_mail;
use crate::world::CognitoWorld;

async fn status(world: &CognitoWorld, address: &str) -> Result<Option<String>> {
    let out = world
        .ses()
        .get_identity_verification_attributes()
        .identities(address)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("GetIdentityVerificationAttributes", &e).into_error())?;
    Ok(out
        .verification_attributes()
        .get(address)
        .map(|a| a.verification_status().as_str().to_owned()))
}

#[given("the sender address is verified in SES")]
async fn sender_verified(world: &mut CognitoWorld) -> Result<()> {
    // A configured identity (the tutorial's prerequisite, done once by a person) is
    // checked, not created: its status must already be Success.
    if let Some(arn) = world.target.ses_identity_arn() {
        let address = arn
            .split_once(":identity/")
            .map(|(_, identity)| identity.to_owned())
            .ok_or_else(|| {
                Error::unexpected(
                    "an SES identity ARN (arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS)",
                    arn,
                )
            })?;
        let got = status(world, &address).await?;
        if got.as_deref() != Some("Success") {
            return Err(Error::unexpected(
                format!("the SES identity {address} to be verified (Success)"),
                format!(
                    "{}: verify it in SES first (the tutorial's prerequisite)",
                    got.as_deref().unwrap_or("not found")
                ),
            ));
        }
        world.pools.sender = Some(address);
        return Ok(());
    }
    let address = crate::naming::sender_address(&world.scenario_id, world.target.mail_domain());
    world
        .ses()
        .verify_email_identity()
        .email_address(&address)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("VerifyEmailIdentity", &e).into_error())?;
    world.created.identities.push(address.clone());

    if status(world, &address).await?.as_deref() != Some("Success") {
        // As in the SES console: the identity is Pending until the link mailed to the
        // address is followed.
        let mailbox = world.target.mailbox();
        let message = wait_for_mail(mailbox, &address, 0, world.target.mail_timeout()).await?;
        let link = mail::find_link(&message.raw)?.ok_or_else(|| {
            Error::unexpected("a verification link in SES's mail", "a mail without a link")
        })?;
        crate::http::get_bytes(world.target.http(), &link)
            .await
            .map_err(|e| Error::unexpected("the verification link to work", e))?;
        let deadline = Instant::now() + world.target.mail_timeout();
        while status(world, &address).await?.as_deref() != Some("Success") {
            if Instant::now() > deadline {
                return Err(Error::unexpected(
                    format!("{address} to be verified after following the link"),
                    format!("{:?}", status(world, &address).await?),
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    world.pools.sender = Some(address);
    Ok(())
}
