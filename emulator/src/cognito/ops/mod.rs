//! One function per Cognito operation, grouped by family, and the table that routes an
//! operation name to its function.

mod auth;
mod clients;
mod pools;
mod sessions;
mod sign_up;
mod support;
mod users;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use super::error::{CognitoError, CognitoResult};
use super::Cognito;
use crate::context::RequestContext;

type Op = fn(&Cognito, &RequestContext, Value) -> CognitoResult<Value>;

/// The emulated operations.
const OPERATIONS: &[(&str, Op)] = &[
    ("CreateUserPool", pools::create_user_pool),
    ("DescribeUserPool", pools::describe_user_pool),
    ("ListUserPools", pools::list_user_pools),
    ("UpdateUserPool", pools::update_user_pool),
    ("DeleteUserPool", pools::delete_user_pool),
    ("CreateUserPoolClient", clients::create_user_pool_client),
    ("DescribeUserPoolClient", clients::describe_user_pool_client),
    ("ListUserPoolClients", clients::list_user_pool_clients),
    ("UpdateUserPoolClient", clients::update_user_pool_client),
    ("DeleteUserPoolClient", clients::delete_user_pool_client),
    ("SignUp", sign_up::sign_up),
    ("ConfirmSignUp", sign_up::confirm_sign_up),
    ("ResendConfirmationCode", sign_up::resend_confirmation_code),
    ("AdminConfirmSignUp", sign_up::admin_confirm_sign_up),
    ("AdminCreateUser", users::admin_create_user),
    ("AdminGetUser", users::admin_get_user),
    ("AdminDeleteUser", users::admin_delete_user),
    (
        "AdminUpdateUserAttributes",
        users::admin_update_user_attributes,
    ),
    ("AdminDisableUser", users::admin_disable_user),
    ("AdminEnableUser", users::admin_enable_user),
    ("AdminSetUserPassword", users::admin_set_user_password),
    ("ListUsers", users::list_users),
    ("GetUser", users::get_user),
    ("DeleteUser", users::delete_user),
    ("InitiateAuth", auth::initiate_auth),
    ("AdminInitiateAuth", auth::admin_initiate_auth),
    ("RespondToAuthChallenge", auth::respond_to_auth_challenge),
    (
        "AdminRespondToAuthChallenge",
        auth::admin_respond_to_auth_challenge,
    ),
    ("ForgotPassword", sessions::forgot_password),
    ("ConfirmForgotPassword", sessions::confirm_forgot_password),
    ("ChangePassword", sessions::change_password),
    ("GlobalSignOut", sessions::global_sign_out),
    (
        "AdminUserGlobalSignOut",
        sessions::admin_user_global_sign_out,
    ),
    ("RevokeToken", sessions::revoke_token),
];

/// Whether `op` is emulated.
pub fn is_emulated(op: &str) -> bool {
    OPERATIONS.iter().any(|(name, _)| *name == op)
}

/// Runs `op`.
pub fn dispatch(
    svc: &Cognito,
    ctx: &RequestContext,
    op: &str,
    input: Value,
) -> CognitoResult<Value> {
    let Some((_, run)) = OPERATIONS.iter().find(|(name, _)| *name == op) else {
        return Err(CognitoError::UnknownOperationException(format!(
            "The operation {op} is not emulated by cognito-emulator (AWSCognitoIdentityProviderService.{op})."
        )));
    };
    run(svc, ctx, input)
}

/// One page of `items` after `token`, with the token of the next page.
fn paginate<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max: usize,
) -> CognitoResult<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| {
                CognitoError::InvalidParameterException("Invalid pagination token.".into())
            })?,
    };
    let page: Vec<T> = items.iter().skip(start).take(max).cloned().collect();
    let end = start + page.len();
    let next = (end < items.len()).then(|| URL_SAFE_NO_PAD.encode(end.to_string()));
    Ok((page, next))
}

/// Checks an optional page size against AWS's bounds.
fn page_size(field: &str, value: Option<i64>, max: i64) -> CognitoResult<usize> {
    match value {
        None => Ok(max as usize),
        Some(v) if (1..=max).contains(&v) => Ok(v as usize),
        Some(v) if v < 1 => Err(CognitoError::validation(
            field,
            Some(&v.to_string()),
            "Member must have value greater than or equal to 1",
        )),
        Some(v) => Err(CognitoError::validation(
            field,
            Some(&v.to_string()),
            &format!("Member must have value less than or equal to {max}"),
        )),
    }
}
