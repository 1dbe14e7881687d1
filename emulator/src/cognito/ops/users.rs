//! AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
//! AdminSetUserPassword, AdminResetUserPassword, ListUsers, GetUser, DeleteUser.

use super::paginate;
use super::support::{check_attributes, check_username, code_message, new_user, verification_mail};
use crate::cognito::codes::RESET_CODE_TTL;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::pre_sign_up::{self, Verdict};
use crate::cognito::triggers::Trigger;
use crate::cognito::user::User;
use crate::cognito::{ids, password, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

pub fn admin_create_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminCreateUserRequest,
) -> CognitoResult<AdminCreateUserResponse> {
    let now = svc.now();
    // PreSignUp runs for a new user before it is made (a resent invitation is not a
    // sign-up). AWS ignores autoConfirmUser here: the user must still set a password.
    let verdict = if i.message_action == Some(MessageActionType::Resend) {
        None
    } else {
        svc.fire(i.user_pool_id(), Trigger::PreSignUp, |pool, version| {
            let origin = Origin::of(pool, i.username(), None, "PreSignUp_AdminCreateUser");
            let given = i
                .user_attributes
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|a| (a.name(), a.value.as_deref().unwrap_or_default()));
            Ok(pre_sign_up::event(
                &origin,
                version,
                given,
                i.validation_data.as_deref(),
                events::client_metadata(i.client_metadata.as_ref()),
            ))
        })?
    };
    let verdict = Verdict::of(verdict.as_ref());
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(i.user_pool_id())?;
        check_username(pool, i.username())?;
        let attributes = i.user_attributes.as_deref().unwrap_or_default();
        check_attributes(pool, attributes)?;
        let resend = i.message_action == Some(MessageActionType::Resend);
        let suppressed = i.message_action == Some(MessageActionType::Suppress);
        let existing = pool.find_username(i.username());
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
                password::check(p, &pool.password_policy())?;
                p.clone()
            }
            None => ids::temporary_password(),
        };
        let expires = Timestamp::from_secs(now.secs() + pool.temporary_password_validity_secs());
        let key = match existing {
            Some(key) => {
                pool.edit_user(&key, |user| {
                    if user.status != UserStatusType::ForceChangePassword {
                        return Err(CognitoError::UnsupportedOperationException(
                            "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state."
                                .into(),
                        ));
                    }
                    user.set_password(i.user_pool_id(), &temporary);
                    user.temporary_password_expires = Some(expires);
                    Ok(())
                })
                .ok_or_else(CognitoError::user_not_found)??;
                key
            }
            None => {
                let mut user = new_user(
                    pool,
                    i.username(),
                    attributes,
                    &temporary,
                    UserStatusType::ForceChangePassword,
                    now,
                );
                user.temporary_password_expires = Some(expires);
                verdict.verify(&mut user);
                let username = user.username.clone();
                pool.add_user(user);
                username
            }
        };
        let user = pool
            .stored_user(&key)
            .ok_or_else(CognitoError::user_not_found)?;
        let described = user.describe();
        let mut invitation = None;
        // E-mail is used when asked for, or when nothing else was asked for and the user
        // has an address: the emulator sends no SMS.
        let by_email = i
            .desired_delivery_mediums
            .as_ref()
            .is_none_or(|m| m.contains(&DeliveryMediumType::Email));
        match (suppressed, by_email, user.attribute("email")) {
            (false, true, Some(email)) => {
                invitation = Some(email.to_owned());
            }
            (false, true, None) if i.desired_delivery_mediums.is_some() => {
                return Err(CognitoError::InvalidParameterException(
                    "User has no attribute matching desired delivery mediums".into(),
                ))
            }
            _ => {}
        }
        if let Some(email) = invitation {
            effects.message(code_message(
                pool,
                "CustomMessage_AdminCreateUser",
                pool.invitation_templates(),
                &email,
                &temporary,
                i.username(),
                None,
                now,
            ));
        }
        Ok(AdminCreateUserResponse {
            user: Some(described),
        })
    })
}

pub fn admin_get_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminGetUserRequest,
) -> CognitoResult<AdminGetUserResponse> {
    svc.read(&ctx.region, |state| {
        let user = state
            .pool(i.user_pool_id())?
            .user(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        Ok(AdminGetUserResponse {
            username: Some(user.username.clone()),
            user_attributes: Some(user.attribute_list()),
            user_create_date: Some(user.created),
            user_last_modified_date: Some(user.modified),
            enabled: Some(user.enabled),
            user_status: Some(user.status.clone()),
            user_mfa_setting_list: user.mfa.settings().0,
            preferred_mfa_setting: user.mfa.settings().1,
            ..AdminGetUserResponse::default()
        })
    })
}

pub fn admin_delete_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminDeleteUserRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        pool.remove_user(&key);
        Ok(())
    })
}

fn set_enabled(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    username: &str,
    enabled: bool,
) -> CognitoResult<()> {
    let now = svc.now();
    svc.write(region, |state, _| {
        let pool = state.pool_mut(pool_id)?;
        let key = pool
            .find_username(username)
            .ok_or_else(CognitoError::user_not_found)?;
        pool.edit_user(&key, |user| {
            user.enabled = enabled;
            user.modified = now;
            if !enabled {
                user.sessions.clear();
            }
        })
        .ok_or_else(CognitoError::user_not_found)
    })
}

pub fn admin_disable_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminDisableUserRequest,
) -> CognitoResult<AdminDisableUserResponse> {
    set_enabled(svc, &ctx.region, i.user_pool_id(), i.username(), false)?;
    Ok(AdminDisableUserResponse {})
}

pub fn admin_enable_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminEnableUserRequest,
) -> CognitoResult<AdminEnableUserResponse> {
    set_enabled(svc, &ctx.region, i.user_pool_id(), i.username(), true)?;
    Ok(AdminEnableUserResponse {})
}

pub fn admin_set_user_password(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminSetUserPasswordRequest,
) -> CognitoResult<AdminSetUserPasswordResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        password::check(i.password(), &pool.password_policy())?;
        let validity = pool.temporary_password_validity_secs();
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        pool.edit_user(&key, |user| {
            user.set_password(i.user_pool_id(), i.password());
            if i.permanent == Some(true) {
                user.status = UserStatusType::Confirmed;
                user.temporary_password_expires = None;
            } else {
                user.status = UserStatusType::ForceChangePassword;
                user.temporary_password_expires = Some(Timestamp::from_secs(now.secs() + validity));
            }
            user.modified = now;
        })
        .ok_or_else(CognitoError::user_not_found)?;
        Ok(AdminSetUserPasswordResponse {})
    })
}

pub fn admin_reset_user_password(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminResetUserPasswordRequest,
) -> CognitoResult<AdminResetUserPasswordResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        // The code goes to a verified address only; without one the user can still be
        // sent a code later, by ForgotPassword once an address is verified.
        let email = pool
            .stored_user(&key)
            .filter(|u| u.email_verified())
            .and_then(|u| u.attribute("email"))
            .map(str::to_owned);
        let code = pool
            .edit_user(&key, |user| {
                user.status = UserStatusType::ResetRequired;
                user.modified = now;
                email
                    .as_ref()
                    .map(|_| user.reset_code.issue(now, RESET_CODE_TTL))
            })
            .ok_or_else(CognitoError::user_not_found)?;
        if let (Some(email), Some(code)) = (email, code) {
            effects.message(verification_mail(
                pool,
                "CustomMessage_ForgotPassword",
                &email,
                &code,
                i.username(),
                now,
            ));
        }
        Ok(AdminResetUserPasswordResponse {})
    })
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

pub fn list_users(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListUsersRequest,
) -> CognitoResult<ListUsersResponse> {
    let filter = Filter::parse(i.filter.as_deref().unwrap_or_default())?;
    let mut users = svc.read(&ctx.region, |state| {
        Ok(state
            .pool(i.user_pool_id())?
            .users()
            .filter(|u| filter.as_ref().is_none_or(|f| f.matches(u)))
            .map(|u| (u.created, u.username.clone(), u.describe()))
            .collect::<Vec<_>>())
    })?;
    users.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let described: Vec<UserType> = users
        .into_iter()
        .map(|(_, _, mut u)| {
            if let (Some(wanted), Some(list)) = (&i.attributes_to_get, u.attributes.as_mut()) {
                list.retain(|a| wanted.iter().any(|w| w.as_str() == a.name()));
            }
            u
        })
        .collect();
    let (page, next) = paginate(&described, i.pagination_token.as_deref(), i.limit, 60)?;
    Ok(ListUsersResponse {
        users: Some(page),
        pagination_token: next,
    })
}

pub fn get_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetUserRequest,
) -> CognitoResult<GetUserResponse> {
    let (pool_id, username) = super::sessions::authenticate(svc, &ctx.region, i.access_token())?;
    svc.read(&ctx.region, |state| {
        let user = state
            .pool(&pool_id)?
            .stored_user(&username)
            .ok_or_else(CognitoError::user_not_found)?;
        Ok(GetUserResponse {
            username: Some(user.username.clone()),
            user_attributes: Some(user.attribute_list()),
            user_mfa_setting_list: user.mfa.settings().0,
            preferred_mfa_setting: user.mfa.settings().1,
            ..GetUserResponse::default()
        })
    })
}

pub fn delete_user(svc: &Cognito, ctx: &RequestContext, i: DeleteUserRequest) -> CognitoResult<()> {
    let (pool_id, username) = super::sessions::authenticate(svc, &ctx.region, i.access_token())?;
    svc.write(&ctx.region, |state, _| {
        state.pool_mut(&pool_id)?.remove_user(&username);
        Ok(())
    })
}
