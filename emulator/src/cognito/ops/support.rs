//! Pieces several operations share: attribute lists, username rules, code mails.

use crate::cognito::delivery::Envelope;
use crate::cognito::effects::Message;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::schema;
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::Trigger;
use crate::cognito::user::{PasswordHash, User};
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::{AttributeType, UserStatusType};
use crate::shape::Timestamp;
use serde_json::{json, Value};

/// A user about to be made: the name it will be stored under, its `sub`, and its
/// attributes. Where the e-mail address (or phone number) is the username, Cognito
/// stores the user under the `sub` and keeps the address as its attribute.
pub struct NewUser {
    /// The stored username.
    pub stored_as: String,
    /// A fresh `sub`.
    pub sub: String,
    /// The attributes, without `sub`.
    pub attributes: Vec<(String, String)>,
}

impl NewUser {
    /// The user `username` of `pool` will be, with `attributes`.
    pub fn of(pool: &UserPool, username: &str, attributes: &[AttributeType]) -> Self {
        let sub = uuid::Uuid::new_v4().to_string();
        let mut attributes: Vec<(String, String)> = attributes
            .iter()
            .map(|a| (a.name().to_owned(), a.value.clone().unwrap_or_default()))
            .collect();
        let stored_as = match username_attribute(pool, username) {
            Some(name) => {
                let value = if name == "email" {
                    username.to_lowercase()
                } else {
                    username.to_owned()
                };
                attributes.retain(|(k, _)| k != name);
                attributes.insert(0, (name.to_owned(), value));
                sub.clone()
            }
            None => username.to_owned(),
        };
        Self {
            stored_as,
            sub,
            attributes,
        }
    }

    /// The user, with `password` hashed for pool `pool_id` (outside any lock: the SRP
    /// verifier costs a 3072-bit exponentiation).
    pub fn with_password(
        self,
        pool_id: &str,
        password: &str,
        status: UserStatusType,
        now: Timestamp,
    ) -> User {
        let hash = PasswordHash::new(pool_id, &self.stored_as, password);
        User::with_password(self.stored_as, self.sub, hash, self.attributes, status, now)
    }
}

/// A new user called `username`, with `attributes` and `password`, in `pool` (see
/// [`NewUser`]).
pub fn new_user(
    pool: &UserPool,
    username: &str,
    attributes: &[AttributeType],
    password: &str,
    status: UserStatusType,
    now: Timestamp,
) -> User {
    NewUser::of(pool, username, attributes).with_password(&pool.id, password, status, now)
}

/// Checks that every attribute exists in the pool's schema and may be written.
pub fn check_attributes(pool: &UserPool, attributes: &[AttributeType]) -> CognitoResult<()> {
    for a in attributes {
        let name = a.name();
        if name == "sub" {
            return Err(CognitoError::InvalidParameterException(
                "Cannot modify the non-mutable attribute sub".into(),
            ));
        }
        if !(schema::is_standard(name) || pool.has_attribute(name)) {
            return Err(CognitoError::InvalidParameterException(format!(
                "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
            )));
        }
        let value = a.value.as_deref().unwrap_or_default();
        if name == "email" && !value.is_empty() && !looks_like_email(value) {
            return Err(CognitoError::InvalidParameterException(
                "Invalid email address format.".into(),
            ));
        }
        if name == "phone_number" && !value.is_empty() && !looks_like_phone(value) {
            return Err(CognitoError::InvalidParameterException(
                "Invalid phone number format.".into(),
            ));
        }
    }
    Ok(())
}

/// Whether `s` has the shape of an e-mail address: one `@`, something before it, a
/// dotted domain after it, no spaces. (AWS's check is about as loose.)
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Whether `s` is a phone number in E.164 form: `+`, then up to 15 digits.
pub fn looks_like_phone(s: &str) -> bool {
    s.strip_prefix('+')
        .is_some_and(|d| (1..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

/// The attribute (`email` or `phone_number`) that `username` is, in a pool whose users
/// sign in with one of them; `None` in a pool with free usernames (or when it is
/// neither, which [`check_username`] refuses).
pub fn username_attribute(pool: &UserPool, username: &str) -> Option<&'static str> {
    if pool.email_is_username() && looks_like_email(username) {
        Some("email")
    } else if pool.phone_is_username() && looks_like_phone(username) {
        Some("phone_number")
    } else {
        None
    }
}

/// Checks a username against the pool's rules: where the e-mail address or the phone
/// number is the username, it must be one of those.
pub fn check_username(pool: &UserPool, username: &str) -> CognitoResult<()> {
    let (email, phone) = (pool.email_is_username(), pool.phone_is_username());
    if !(email || phone) || username_attribute(pool, username).is_some() {
        return Ok(());
    }
    let message = match (email, phone) {
        (true, true) => "Username should be either an email or a phone number.",
        (true, false) => "Username should be an email.",
        _ => "Username should be a phone number.",
    };
    Err(CognitoError::InvalidParameterException(message.into()))
}

/// A mail with `code` for `to`, from templates `subject` and `body`: worded by the
/// pool's CustomMessage trigger, if it has one, with trigger source `source`
/// (`CustomMessage_SignUp`, ...). The user is looked up by `username` for the event's
/// attributes, so it must be in the pool already.
#[allow(clippy::too_many_arguments)]
pub fn code_message(
    pool: &UserPool,
    source: &str,
    (subject, body): (String, String),
    to: &str,
    code: &str,
    username: &str,
    client_id: Option<&str>,
    now: Timestamp,
) -> Message {
    let config = pool.settings.lambda_config.clone();
    let custom = match (
        Trigger::CustomMessage.arn(config.as_ref()),
        pool.user(username),
    ) {
        (Some(_), Some(user)) => {
            let origin = Origin::of(pool, &user.username, client_id, source);
            let username_parameter = if source == "CustomMessage_AdminCreateUser" {
                Value::String("{username}".into())
            } else {
                Value::Null
            };
            let event = events::event(
                &origin,
                "1",
                json!({
                    "userAttributes": events::user_attributes(user),
                    "codeParameter": "{####}",
                    "usernameParameter": username_parameter,
                    "linkParameter": "{##Click Here##}",
                    "clientMetadata": {},
                }),
                json!({"smsMessage": null, "emailMessage": null, "emailSubject": null}),
            );
            config.map(|c| (c, event))
        }
        _ => None,
    };
    Message {
        to: to.to_owned(),
        subject,
        body,
        code: code.to_owned(),
        username: username.to_owned(),
        envelope: Envelope::of(pool),
        now_secs: now.secs(),
        custom,
    }
}

/// The verification mail with `code` for `to`, from the pool's verification templates
/// (see [`code_message`]).
pub fn verification_mail(
    pool: &UserPool,
    source: &str,
    to: &str,
    code: &str,
    username: &str,
    now: Timestamp,
) -> Message {
    code_message(
        pool,
        source,
        pool.verification_templates(),
        to,
        code,
        username,
        None,
        now,
    )
}

/// Fires PostConfirmation for the user stored as `key`, once the change that confirmed
/// them (sign-up or password reset) is committed: a failing trigger fails the call, but
/// the change stays, as on AWS.
pub fn post_confirmation(
    svc: &Cognito,
    pool_id: &str,
    key: &str,
    client_id: &str,
    source: &str,
    client_metadata: Value,
) -> CognitoResult<()> {
    svc.fire(pool_id, Trigger::PostConfirmation, |pool, version| {
        let user = pool
            .stored_user(key)
            .ok_or_else(CognitoError::user_not_found)?;
        let origin = Origin::of(pool, key, Some(client_id), source);
        Ok(events::event(
            &origin,
            version,
            json!({
                "userAttributes": events::user_attributes(user),
                "clientMetadata": client_metadata,
            }),
            json!({}),
        ))
    })?;
    Ok(())
}
