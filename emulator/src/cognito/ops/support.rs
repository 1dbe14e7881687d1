//! Pieces several operations share: attribute lists, username rules, code mails.

use crate::cognito::delivery;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::schema;
use crate::cognito::user::User;
use crate::generated::cognito::shapes::{AttributeType, UserStatusType};
use crate::mailer::OutgoingMail;
use crate::shape::Timestamp;

/// A new user called `username`, with `attributes` and `password`, in `pool`: a fresh
/// `sub`, and the name the user is stored under. Where the e-mail address is the
/// username, Cognito stores the user under the `sub` and keeps the address as the
/// `email` attribute.
pub fn new_user(
    pool: &UserPool,
    username: &str,
    attributes: &[AttributeType],
    password: &str,
    status: UserStatusType,
    now: Timestamp,
) -> User {
    let sub = uuid::Uuid::new_v4().to_string();
    let mut attributes: Vec<(String, String)> = attributes
        .iter()
        .map(|a| (a.name().to_owned(), a.value.clone().unwrap_or_default()))
        .collect();
    let stored_as = if pool.email_is_username() {
        attributes.retain(|(k, _)| k != "email");
        attributes.insert(0, ("email".to_owned(), username.to_lowercase()));
        sub.clone()
    } else {
        username.to_owned()
    };
    User::new(&pool.id, stored_as, sub, password, attributes, status, now)
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
    now: Timestamp,
) -> OutgoingMail {
    let (subject, body) = pool.verification_templates();
    let subject = delivery::fill(&subject, code, username);
    let body = delivery::fill(&body, code, username);
    delivery::compose(pool, to, &subject, &body, now.secs())
}
