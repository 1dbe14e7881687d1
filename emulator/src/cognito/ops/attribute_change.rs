//! Changing a user's attributes after creation, as `UpdateUserAttributes`,
//! `AdminUpdateUserAttributes` and the two deletes do. The schema and the writer decide
//! what may change; a new e-mail address is unverified until proven (a code is mailed to
//! it where the pool verifies addresses), and in pools that ask for it
//! (`AttributesRequireVerificationBeforeUpdate`) a verified old address stays in force
//! until the new one is proven.

use super::support::{looks_like_email, looks_like_phone};
use crate::cognito::client::AppClient;
use crate::cognito::codes::ATTRIBUTE_CODE_TTL;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::generated::cognito::shapes::AttributeType;
use crate::shape::Timestamp;

/// Who changes the attributes.
#[derive(Debug, Clone, Copy)]
pub enum Writer<'a> {
    /// The user, with an access token from this client: held to its `WriteAttributes`.
    User(&'a AppClient),
    /// An administrator: may write any mutable attribute, developer-only ones and the
    /// verification flags included.
    Admin,
}

/// A verification code to mail once the change is committed.
#[derive(Debug)]
pub struct CodeToMail {
    /// The address to prove.
    pub address: String,
    /// The code.
    pub code: String,
}

fn invalid(message: impl Into<String>) -> CognitoError {
    CognitoError::InvalidParameterException(message.into())
}

/// `AliasExistsException` for `attribute`, AWS's wording.
pub fn alias_exists(attribute: &str) -> CognitoError {
    CognitoError::AliasExistsException(format!(
        "An account with the given {attribute} already exists."
    ))
}

/// Checks that `writer` may make `changes` (name, new value; an empty value deletes).
/// AWS reports every offending attribute of a kind at once, one line each.
fn check(pool: &UserPool, changes: &[(&str, &str)], writer: Writer<'_>) -> CognitoResult<()> {
    let lines = |bad: &dyn Fn(&str) -> bool, what: &str| -> String {
        changes
            .iter()
            .filter(|(name, _)| bad(name))
            .map(|(name, _)| format!("user.{name}: {what}\n"))
            .collect()
    };
    let unknown = lines(
        &|name| pool.schema_attribute(name).is_none(),
        "Attribute does not exist in the schema.",
    );
    if !unknown.is_empty() {
        return Err(invalid(unknown));
    }
    if let Writer::User(client) = writer {
        let refused = changes
            .iter()
            .any(|(name, _)| name.starts_with("dev:") || !client.may_write(name));
        if refused {
            return Err(CognitoError::NotAuthorizedException(
                "A client attempted to write unauthorized attribute".into(),
            ));
        }
    }
    let immutable = lines(
        &|name| pool.schema_attribute(name).and_then(|a| a.mutable) == Some(false),
        "Attribute cannot be updated.",
    );
    if !immutable.is_empty() {
        return Err(invalid(immutable));
    }
    for (name, value) in changes {
        let required = pool.schema_attribute(name).and_then(|a| a.required) == Some(true);
        if value.is_empty() && required {
            return Err(invalid(format!(
                "Invalid user attributes: {name}: Required attribute cannot be deleted."
            )));
        }
        if *name == "email" && !value.is_empty() && !looks_like_email(value) {
            return Err(invalid("Invalid email address format."));
        }
        if *name == "phone_number" && !value.is_empty() && !looks_like_phone(value) {
            return Err(invalid("Invalid phone number format."));
        }
    }
    Ok(())
}

/// Sets `attributes` (an empty value deletes) on the user stored as `key`. Returns the
/// code to mail when a new e-mail address awaits verification.
pub fn update(
    pool: &mut UserPool,
    key: &str,
    attributes: &[AttributeType],
    writer: Writer<'_>,
    now: Timestamp,
) -> CognitoResult<Option<CodeToMail>> {
    if let Some(a) = attributes.iter().find(|a| a.value.is_none()) {
        return Err(invalid(format!(
            "Attribute value for {} must not be null",
            a.name()
        )));
    }
    let changes: Vec<(&str, &str)> = attributes
        .iter()
        .map(|a| (a.name(), a.value.as_deref().unwrap_or_default()))
        .collect();
    check(pool, &changes, writer)?;
    let given = |name: &str| {
        changes
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    };
    let user = pool
        .stored_user(key)
        .ok_or_else(CognitoError::user_not_found)?;
    let changed = |name: &str| given(name).filter(|v| Some(*v) != user.attribute(name));
    let new_email = changed("email").map(str::to_owned);
    let new_phone = changed("phone_number").map(str::to_owned);
    let verifies_email = given("email_verified").map(|v| v.eq_ignore_ascii_case("true"));
    let verifies_phone = given("phone_number_verified").map(|v| v.eq_ignore_ascii_case("true"));

    // The address the user will sign in with once this call is done, when that is new or
    // newly verified: it must not be another user's.
    let email_target = match (&new_email, verifies_email) {
        (Some(e), _) if !e.is_empty() => Some(e.clone()),
        (None, Some(true)) => user
            .verification
            .pending_email
            .clone()
            .or_else(|| user.attribute("email").map(str::to_owned)),
        _ => None,
    };
    if email_target.is_some_and(|e| pool.alias_taken("email", &e, key)) {
        return Err(alias_exists("email"));
    }
    if new_phone
        .as_deref()
        .is_some_and(|p| !p.is_empty() && pool.alias_taken("phone_number", p, key))
    {
        return Err(alias_exists("phone_number"));
    }

    let proving =
        new_email.as_deref().is_some_and(|e| !e.is_empty()) && verifies_email != Some(true);
    // Where the pool asks for it, a verified address stays until the new one is proven.
    let pending = proving && pool.verifies_before_update("email") && user.email_verified();
    let mail_code = proving && (pool.auto_verifies_email() || pool.verifies_before_update("email"));
    let email_given = given("email").is_some();

    pool.edit_user(key, |user| {
        for (name, value) in &changes {
            if *name == "email" && pending {
                continue;
            }
            if value.is_empty() {
                user.remove_attribute(name);
            } else {
                user.set_attribute(name, value);
            }
        }
        match new_email.as_deref() {
            Some(email) if pending => user.verification.pending_email = Some(email.to_owned()),
            Some("") => {
                user.remove_attribute("email_verified");
                user.verification.pending_email = None;
            }
            Some(_) => {
                user.verification.pending_email = None;
                if verifies_email.is_none() {
                    user.set_attribute("email_verified", "false");
                }
            }
            // The current address given again withdraws a change waiting for its proof.
            None if email_given => user.verification.pending_email = None,
            None => {}
        }
        // An administrator's `email_verified: true` proves a waiting address.
        if verifies_email == Some(true) && !email_given {
            if let Some(email) = user.verification.pending_email.take() {
                user.set_attribute("email", &email);
            }
        }
        // No SMS is sent, so a new phone number is applied at once, unverified.
        match new_phone.as_deref() {
            Some("") => user.remove_attribute("phone_number_verified"),
            Some(_) if verifies_phone.is_none() => {
                user.set_attribute("phone_number_verified", "false")
            }
            _ => {}
        }
        user.modified = now;
        let address = new_email.filter(|_| mail_code)?;
        Some(CodeToMail {
            code: user.verification.email_code.issue(now, ATTRIBUTE_CODE_TTL),
            address,
        })
    })
    .ok_or_else(CognitoError::user_not_found)
}

/// Deletes attributes `names` of the user stored as `key`.
pub fn delete(
    pool: &mut UserPool,
    key: &str,
    names: &[String],
    writer: Writer<'_>,
    now: Timestamp,
) -> CognitoResult<()> {
    let changes: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    check(pool, &changes, writer)?;
    pool.edit_user(key, |user| {
        for name in names {
            user.remove_attribute(name);
            // An address that is gone is no longer verified, nor waiting to be replaced.
            match name.as_str() {
                "email" => {
                    user.remove_attribute("email_verified");
                    user.verification.pending_email = None;
                }
                "phone_number" => user.remove_attribute("phone_number_verified"),
                _ => {}
            }
        }
        user.modified = now;
    })
    .ok_or_else(CognitoError::user_not_found)
}
