//! Pieces several operations share: attribute lists, username rules, code mails.

use serde::Deserialize;

use crate::cognito::delivery;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::schema;
use crate::mailer::OutgoingMail;

/// `AttributeType`: `{Name, Value}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// The identity of a new user: a fresh `sub`, the name the user is stored under, and
/// the attributes. Where the e-mail address is the username, Cognito stores the user
/// under the `sub` and keeps the address as the `email` attribute.
pub struct NewUser {
    /// The immutable UUID.
    pub sub: String,
    /// The key in the pool's users.
    pub username: String,
    /// The attributes, `email` first in e-mail pools.
    pub attributes: Vec<(String, String)>,
}

impl NewUser {
    /// The identity of a user called `username` with `attributes`, in `pool`.
    pub fn new(pool: &UserPool, username: &str, attributes: &[Attribute]) -> Self {
        let sub = uuid::Uuid::new_v4().to_string();
        let mut attributes: Vec<(String, String)> = attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        let username = if pool.email_is_username() {
            attributes.retain(|(k, _)| k != "email");
            attributes.insert(0, ("email".to_owned(), username.to_lowercase()));
            sub.clone()
        } else {
            username.to_owned()
        };
        Self {
            sub,
            username,
            attributes,
        }
    }
}

/// Checks that every attribute exists in the pool's schema and may be written.
pub fn check_attributes(pool: &UserPool, attributes: &[Attribute]) -> CognitoResult<()> {
    for a in attributes {
        if a.name == "sub" {
            return Err(CognitoError::InvalidParameterException(
                "Cannot modify the non-mutable attribute sub".into(),
            ));
        }
        let known = schema::is_standard(&a.name)
            || pool.schema.iter().any(|s| s["Name"] == a.name.as_str());
        if !known {
            return Err(CognitoError::InvalidParameterException(format!(
                "Attributes did not conform to the schema: Type for attribute {{{}}} could not be determined",
                a.name
            )));
        }
        if a.name == "email" && !a.value.is_empty() && !looks_like_email(&a.value) {
            return Err(CognitoError::InvalidParameterException(
                "Invalid email address format.".into(),
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

/// Checks a username against the pool's rules: e-mail pools need an e-mail address.
pub fn check_username(pool: &UserPool, username: &str) -> CognitoResult<()> {
    crate::cognito::input::check_len("username", username, true, 1, 128)?;
    if pool.email_is_username() && !looks_like_email(username) {
        return Err(CognitoError::InvalidParameterException(
            "Username should be an email.".into(),
        ));
    }
    Ok(())
}

/// The verification mail with `code` for `to`, from the pool's templates.
pub fn verification_mail(
    pool: &UserPool,
    to: &str,
    code: &str,
    username: &str,
    now_secs: i64,
) -> OutgoingMail {
    let (subject, body) = pool.verification_templates();
    let subject = delivery::fill(&subject, code, username);
    let body = delivery::fill(&body, code, username);
    delivery::compose(pool, to, &subject, &body, now_secs)
}
