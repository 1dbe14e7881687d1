//! AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes,
//! AdminDisableUser, AdminEnableUser, AdminSetUserPassword, ListUsers, GetUser,
//! DeleteUser.

use serde::Deserialize;
use serde_json::{json, Value};

use super::support::{check_attributes, check_username, Attribute, NewUser};
use super::{page_size, paginate};
use crate::cognito::delivery::{self, compose};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::parse;
use crate::cognito::user::{PasswordHash, User, UserStatus};
use crate::cognito::{ids, password, Cognito};
use crate::context::RequestContext;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    user_pool_id: String,
    username: String,
    #[serde(default)]
    user_attributes: Vec<Attribute>,
    temporary_password: Option<String>,
    message_action: Option<String>,
    desired_delivery_mediums: Option<Vec<String>>,
}

pub fn admin_create_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: CreateInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&i.user_pool_id)?;
    check_username(pool, &i.username)?;
    check_attributes(pool, &i.user_attributes)?;
    let resend = match i.message_action.as_deref() {
        None | Some("SUPPRESS") => false,
        Some("RESEND") => true,
        Some(other) => {
            return Err(CognitoError::validation(
                "messageAction",
                Some(other),
                "Member must satisfy enum value set: [RESEND, SUPPRESS]",
            ))
        }
    };
    let existing = pool.find_username(&i.username);
    if existing.is_some() && !resend {
        return Err(CognitoError::UsernameExistsException(
            "User account already exists".into(),
        ));
    }
    if existing.is_none() && resend {
        return Err(CognitoError::user_not_found());
    }
    let temporary = match &i.temporary_password {
        Some(p) => {
            password::check(p, "temporaryPassword", &pool.password_policy())?;
            p.clone()
        }
        None => ids::temporary_password(),
    };
    let expires = now_ms / 1000 + pool.temporary_password_validity_secs();

    let key = match existing {
        Some(key) => {
            let user = pool
                .users
                .get_mut(&key)
                .ok_or_else(CognitoError::user_not_found)?;
            if user.status != UserStatus::ForceChangePassword {
                return Err(CognitoError::UnsupportedOperationException(
                    "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.".into(),
                ));
            }
            user.password = PasswordHash::new(&temporary);
            user.temporary_password_expires = Some(expires);
            key
        }
        None => {
            let NewUser {
                sub,
                username,
                attributes,
            } = NewUser::new(pool, &i.username, &i.user_attributes);
            let mut user = User::new(
                username.clone(),
                sub,
                &temporary,
                attributes,
                UserStatus::ForceChangePassword,
                now,
            );
            user.temporary_password_expires = Some(expires);
            pool.add_user(user);
            username
        }
    };

    let user = pool
        .users
        .get(&key)
        .ok_or_else(CognitoError::user_not_found)?;
    let described = user.describe("Attributes");
    // E-mail is used when asked for, or when nothing else was asked for and the user
    // has an address: the emulator sends no SMS.
    let by_email = i
        .desired_delivery_mediums
        .as_ref()
        .is_none_or(|m| m.iter().any(|m| m == "EMAIL"));
    let suppressed = i.message_action.as_deref() == Some("SUPPRESS");
    let mail = match (suppressed, by_email, user.attribute("email")) {
        (false, true, Some(email)) => {
            let (subject, body) = pool.invitation_templates();
            let subject = delivery::fill(&subject, &temporary, &i.username);
            let body = delivery::fill(&body, &temporary, &i.username);
            Some(compose(pool, email, &subject, &body, now_ms / 1000))
        }
        (false, true, None) if i.desired_delivery_mediums.is_some() => {
            return Err(CognitoError::InvalidParameterException(
                "User has no attribute matching desired delivery mediums".into(),
            ))
        }
        _ => None,
    };
    drop(state);
    if let Some(mail) = mail {
        svc.send_mail(mail);
    }
    Ok(json!({ "User": described }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserRef {
    user_pool_id: String,
    username: String,
}

pub fn admin_get_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: UserRef = parse(input)?;
    let state = svc.state();
    let user = state
        .pool(&i.user_pool_id)?
        .user(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    Ok(user.describe("UserAttributes"))
}

pub fn admin_delete_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: UserRef = parse(input)?;
    let mut state = svc.state();
    let pool = state.pool_mut(&i.user_pool_id)?;
    let key = pool
        .find_username(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    pool.remove_user(&key);
    Ok(json!({}))
}

fn set_enabled(svc: &Cognito, input: Value, enabled: bool) -> CognitoResult<Value> {
    let i: UserRef = parse(input)?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let user = state
        .pool_mut(&i.user_pool_id)?
        .user_mut(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    user.enabled = enabled;
    user.modified = now;
    if !enabled {
        user.sessions.clear();
    }
    Ok(json!({}))
}

pub fn admin_disable_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    set_enabled(svc, input, false)
}

pub fn admin_enable_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    set_enabled(svc, input, true)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetPasswordInput {
    user_pool_id: String,
    username: String,
    password: String,
    #[serde(default)]
    permanent: bool,
}

pub fn admin_set_user_password(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: SetPasswordInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let mut state = svc.state();
    let pool = state.pool_mut(&i.user_pool_id)?;
    password::check(&i.password, "password", &pool.password_policy())?;
    let validity = pool.temporary_password_validity_secs();
    let user = pool
        .user_mut(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    user.password = PasswordHash::new(&i.password);
    if i.permanent {
        user.status = UserStatus::Confirmed;
        user.temporary_password_expires = None;
    } else {
        user.status = UserStatus::ForceChangePassword;
        user.temporary_password_expires = Some(now_ms / 1000 + validity);
    }
    user.modified = now_ms as f64 / 1000.0;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateAttributesInput {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<Attribute>,
}

pub fn admin_update_user_attributes(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: UpdateAttributesInput = parse(input)?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&i.user_pool_id)?;
    check_attributes(pool, &i.user_attributes)?;
    let key = pool
        .find_username(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    let user = pool
        .users
        .get_mut(&key)
        .ok_or_else(CognitoError::user_not_found)?;
    let sets_verified = i.user_attributes.iter().any(|a| a.name == "email_verified");
    for a in &i.user_attributes {
        let changed_email = a.name == "email" && user.attribute("email") != Some(a.value.as_str());
        if a.value.is_empty() {
            user.remove_attribute(&a.name);
        } else {
            user.set_attribute(&a.name, &a.value);
        }
        // A new address is unverified until proven, unless the caller says otherwise.
        if changed_email && !sets_verified {
            user.set_attribute("email_verified", "false");
        }
    }
    user.modified = now;
    pool.reindex(&key);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: String,
    attributes_to_get: Option<Vec<String>>,
    limit: Option<i64>,
    pagination_token: Option<String>,
    filter: Option<String>,
}

/// A parsed `ListUsers` filter: `name = "value"` or `name ^= "prefix"`.
struct Filter {
    attribute: String,
    value: String,
    prefix: bool,
}

impl Filter {
    fn parse(text: &str) -> CognitoResult<Option<Self>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let bad = || CognitoError::InvalidParameterException("Error while parsing filter.".into());
        let (attribute, prefix, rest) = match (text.find("^="), text.find('=')) {
            (Some(i), _) => (&text[..i], true, &text[i + 2..]),
            (None, Some(i)) => (&text[..i], false, &text[i + 1..]),
            _ => return Err(bad()),
        };
        let attribute = attribute.trim();
        let value = rest
            .trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(bad)?;
        const SEARCHABLE: &[&str] = &[
            "username",
            "email",
            "phone_number",
            "name",
            "given_name",
            "family_name",
            "preferred_username",
            "cognito:user_status",
            "status",
            "sub",
        ];
        if !SEARCHABLE.contains(&attribute) {
            return Err(CognitoError::InvalidParameterException(format!(
                "Invalid search attribute: {attribute}"
            )));
        }
        Ok(Some(Self {
            attribute: attribute.to_owned(),
            value: value.to_owned(),
            prefix,
        }))
    }

    fn matches(&self, user: &User) -> bool {
        let actual = match self.attribute.as_str() {
            "username" => Some(user.username.as_str()),
            "cognito:user_status" => Some(user.status.as_str()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }),
            other => user.attribute(other),
        };
        actual.is_some_and(|a| {
            if self.prefix {
                a.starts_with(&self.value)
            } else {
                a == self.value
            }
        })
    }
}

pub fn list_users(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: ListInput = parse(input)?;
    let max = page_size("limit", i.limit, 60)?;
    let filter = Filter::parse(i.filter.as_deref().unwrap_or_default())?;
    let state = svc.state();
    let pool = state.pool(&i.user_pool_id)?;
    let mut users: Vec<&User> = pool
        .users
        .values()
        .filter(|u| filter.as_ref().is_none_or(|f| f.matches(u)))
        .collect();
    users.sort_by(|a, b| {
        a.created
            .total_cmp(&b.created)
            .then(a.username.cmp(&b.username))
    });
    let described: Vec<Value> = users
        .iter()
        .map(|u| {
            let mut v = u.describe("Attributes");
            if let Some(wanted) = &i.attributes_to_get {
                if let Some(list) = v["Attributes"].as_array_mut() {
                    list.retain(|a| wanted.iter().any(|w| a["Name"] == w.as_str()));
                }
            }
            v
        })
        .collect();
    let (page, next) = paginate(&described, i.pagination_token.as_deref(), max)?;
    let mut out = json!({ "Users": page });
    if let Some(next) = next {
        out["PaginationToken"] = json!(next);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TokenInput {
    access_token: String,
}

pub fn get_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: TokenInput = parse(input)?;
    let (pool_id, username) = super::sessions::authenticate(svc, &i.access_token)?;
    let state = svc.state();
    let user = state
        .pool(&pool_id)?
        .users
        .get(&username)
        .ok_or_else(CognitoError::user_not_found)?;
    Ok(json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
    }))
}

pub fn delete_user(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: TokenInput = parse(input)?;
    let (pool_id, username) = super::sessions::authenticate(svc, &i.access_token)?;
    svc.state().pool_mut(&pool_id)?.remove_user(&username);
    Ok(json!({}))
}
