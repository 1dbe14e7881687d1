//! UpdateUserAttributes, AdminUpdateUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUserAttributes, AdminDeleteUserAttributes and
//! AddCustomAttributes: a user's attributes after sign-up, and the pool's custom ones.

use super::attribute_change::{self, alias_exists, Writer};
use super::sessions::{authenticate, caller};
use super::support::verification_mail;
use crate::cognito::codes::{self, ATTRIBUTE_CODE_TTL};
use crate::cognito::delivery::email_delivery;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

pub fn update_user_attributes(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateUserAttributesRequest,
) -> CognitoResult<UpdateUserAttributesResponse> {
    let caller = caller(svc, &ctx.region, i.access_token())?;
    let now = svc.now();
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(&caller.pool_id)?;
        let client = pool.client(&caller.client_id)?.clone();
        let code = attribute_change::update(
            pool,
            &caller.username,
            i.user_attributes(),
            Writer::User(&client),
            now,
        )?;
        let deliveries = code.map(|c| {
            effects.message(verification_mail(
                pool,
                "CustomMessage_UpdateUserAttribute",
                &c.address,
                &c.code,
                &caller.username,
                now,
            ));
            vec![email_delivery(&c.address)]
        });
        Ok(UpdateUserAttributesResponse {
            code_delivery_details_list: deliveries,
        })
    })
}

pub fn admin_update_user_attributes(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminUpdateUserAttributesRequest,
) -> CognitoResult<AdminUpdateUserAttributesResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        // An administrator's change of address is proven like the user's own: the code
        // goes out unless the same call marks the address verified.
        let code = attribute_change::update(pool, &key, i.user_attributes(), Writer::Admin, now)?;
        if let Some(c) = code {
            effects.message(verification_mail(
                pool,
                "CustomMessage_UpdateUserAttribute",
                &c.address,
                &c.code,
                &key,
                now,
            ));
        }
        Ok(AdminUpdateUserAttributesResponse {})
    })
}

fn not_verifiable() -> CognitoError {
    CognitoError::InvalidParameterException(
        "Invalid attribute name. Only phone_number and email can be verified.".into(),
    )
}

pub fn get_user_attribute_verification_code(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetUserAttributeVerificationCodeRequest,
) -> CognitoResult<GetUserAttributeVerificationCodeResponse> {
    let (pool_id, username) = authenticate(svc, &ctx.region, i.access_token())?;
    let now = svc.now();
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(&pool_id)?;
        let user = pool
            .stored_user(&username)
            .ok_or_else(CognitoError::user_not_found)?;
        match i.attribute_name() {
            "email" => {}
            "phone_number" if user.attribute("phone_number").is_none() => {
                return Err(CognitoError::InvalidParameterException(
                    "User does not have a valid registered phone number".into(),
                ))
            }
            "phone_number" => {
                return Err(CognitoError::UnsupportedOperationException(
                    "Verifying a phone number needs an SMS, which cognito-emulator does not send."
                        .into(),
                ))
            }
            _ => return Err(not_verifiable()),
        }
        // A changed address waiting for its proof is the one to prove.
        let address = user
            .verification
            .pending_email
            .clone()
            .or_else(|| user.attribute("email").map(str::to_owned))
            .ok_or_else(|| {
                CognitoError::InvalidParameterException(
                    "User does not have a valid registered email".into(),
                )
            })?;
        let code = pool
            .edit_user(&username, |u| {
                u.verification.email_code.issue(now, ATTRIBUTE_CODE_TTL)
            })
            .ok_or_else(CognitoError::user_not_found)?;
        effects.message(verification_mail(
            pool,
            "CustomMessage_VerifyUserAttribute",
            &address,
            &code,
            &username,
            now,
        ));
        Ok(GetUserAttributeVerificationCodeResponse {
            code_delivery_details: Some(email_delivery(&address)),
        })
    })
}

pub fn verify_user_attribute(
    svc: &Cognito,
    ctx: &RequestContext,
    i: VerifyUserAttributeRequest,
) -> CognitoResult<VerifyUserAttributeResponse> {
    let (pool_id, username) = authenticate(svc, &ctx.region, i.access_token())?;
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        let name = i.attribute_name();
        if !matches!(name, "email" | "phone_number") {
            return Err(not_verifiable());
        }
        let user = pool
            .stored_user(&username)
            .ok_or_else(CognitoError::user_not_found)?;
        let no_value = || {
            CognitoError::InvalidParameterException(format!(
                "Unable to verify attribute: {name} no value set to verify"
            ))
        };
        if name == "phone_number" {
            user.attribute("phone_number").ok_or_else(no_value)?;
            // No SMS code was ever sent, so none can match.
            return Err(codes::mismatch());
        }
        let target = user
            .verification
            .pending_email
            .clone()
            .or_else(|| user.attribute("email").map(str::to_owned))
            .ok_or_else(no_value)?;
        let taken = pool.alias_taken("email", &target, &username);
        pool.edit_user(&username, |user| {
            user.verification.email_code.check(i.code(), now)?;
            if taken {
                return Err(alias_exists("email"));
            }
            if let Some(email) = user.verification.pending_email.take() {
                user.set_attribute("email", &email);
            }
            user.set_attribute("email_verified", "true");
            user.modified = now;
            Ok(VerifyUserAttributeResponse {})
        })
        .ok_or_else(CognitoError::user_not_found)?
    })
}

pub fn delete_user_attributes(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteUserAttributesRequest,
) -> CognitoResult<DeleteUserAttributesResponse> {
    let caller = caller(svc, &ctx.region, i.access_token())?;
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&caller.pool_id)?;
        let client = pool.client(&caller.client_id)?.clone();
        attribute_change::delete(
            pool,
            &caller.username,
            i.user_attribute_names(),
            Writer::User(&client),
            now,
        )?;
        Ok(DeleteUserAttributesResponse {})
    })
}

pub fn admin_delete_user_attributes(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminDeleteUserAttributesRequest,
) -> CognitoResult<AdminDeleteUserAttributesResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        attribute_change::delete(pool, &key, i.user_attribute_names(), Writer::Admin, now)?;
        Ok(AdminDeleteUserAttributesResponse {})
    })
}

pub fn add_custom_attributes(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AddCustomAttributesRequest,
) -> CognitoResult<AddCustomAttributesResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        state
            .pool_mut(i.user_pool_id())?
            .add_custom_attributes(i.custom_attributes(), now)?;
        Ok(AddCustomAttributesResponse {})
    })
}
