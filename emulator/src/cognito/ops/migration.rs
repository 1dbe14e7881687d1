//! The UserMigration trigger: a sign-in with a password, or a ForgotPassword, for a user
//! the pool does not know asks the trigger to look the user up in a legacy store; the
//! attributes it returns, its `finalUserStatus` and `messageAction` make the user, who
//! then goes on as if they had always been there.

use serde_json::{json, Value};

use super::support::{check_attributes, new_user};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::Trigger;
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::{AttributeType, UserStatusType};

/// Why the user is being migrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion<'a> {
    /// A sign-in, with the password typed.
    Authentication { password: &'a str },
    /// A ForgotPassword: no password is known, so the user must reset it.
    ForgotPassword,
}

/// Migrates `username` into the pool of `client_id` if the pool does not know it and
/// has a UserMigration trigger that finds it. Whether a user was made.
pub fn migrate_if_unknown(
    svc: &Cognito,
    region: &str,
    pool_id: Option<&str>,
    client_id: &str,
    username: &str,
    occasion: Occasion<'_>,
) -> CognitoResult<bool> {
    let pool_id = svc.read(region, |state| {
        let pool_id = state.pool_id_for(pool_id, client_id)?;
        let pool = state.pool(&pool_id)?;
        let wanted = pool.find_username(username).is_none()
            && Trigger::UserMigration
                .arn(pool.settings.lambda_config.as_ref())
                .is_some();
        Ok(wanted.then_some(pool_id))
    })?;
    let Some(pool_id) = pool_id else {
        return Ok(false);
    };
    let (source, password) = match occasion {
        Occasion::Authentication { password } => ("UserMigration_Authentication", Some(password)),
        Occasion::ForgotPassword => ("UserMigration_ForgotPassword", None),
    };
    let returned = svc
        .fire(&pool_id, Trigger::UserMigration, |pool, version| {
            let origin = Origin::of(pool, username, Some(client_id), source);
            Ok(events::event(
                &origin,
                version,
                json!({"password": password, "validationData": {}, "clientMetadata": {}}),
                json!({
                    "userAttributes": null,
                    "finalUserStatus": null,
                    "messageAction": null,
                    "desiredDeliveryMediums": null,
                    "forceAliasCreation": null,
                    "enableSMSMFA": null,
                }),
            ))
        })
        // A function that refuses (the usual way to say "no such user") surfaces as AWS
        // reports it: the user was not found.
        .map_err(|e| match e {
            CognitoError::UserLambdaValidationException(_) => CognitoError::UserNotFoundException(
                format!("Exception migrating user in app client {client_id}"),
            ),
            other => other,
        })?;
    let Some(returned) = returned else {
        return Ok(false);
    };
    let response = &returned["response"];
    // A function that does not know the user either answers without attributes.
    let Some(found) = response["userAttributes"].as_object() else {
        return Ok(false);
    };
    let attributes: Vec<AttributeType> = found
        .iter()
        .filter(|(name, _)| name.as_str() != "username")
        .map(|(name, value)| AttributeType {
            name: Some(name.clone()),
            value: Some(match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
        })
        .collect();
    let status = match (response["finalUserStatus"].as_str(), occasion) {
        (_, Occasion::ForgotPassword) | (Some("RESET_REQUIRED"), _) => {
            UserStatusType::ResetRequired
        }
        (None | Some("CONFIRMED"), _) => UserStatusType::Confirmed,
        (Some(_), _) => {
            return Err(CognitoError::InvalidLambdaResponseException(
                "Invalid finalUserStatus in the UserMigration response.".into(),
            ))
        }
    };
    // Without a known password, the user gets a random one and must reset it.
    let password = password.map_or_else(crate::cognito::ids::temporary_password, str::to_owned);
    let now = svc.now();
    svc.write(region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        if pool.find_username(username).is_some() {
            return Ok(true);
        }
        check_attributes(pool, &attributes)?;
        let user = new_user(pool, username, &attributes, &password, status, now);
        pool.add_user(user);
        Ok(true)
    })
}
