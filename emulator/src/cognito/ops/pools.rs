//! CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool, DeleteUserPool.

use super::paginate;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::{PoolSettings, UserPool};
use crate::cognito::{ids, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

pub fn create_user_pool(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateUserPoolRequest,
) -> CognitoResult<CreateUserPoolResponse> {
    let id = ids::pool_id(&ctx.region);
    let source_arn = i
        .email_configuration
        .as_ref()
        .and_then(|c| c.source_arn.clone());
    let pool = UserPool::new(id.clone(), &ctx.region, &ctx.account_id, svc.now(), i)?;
    let described = pool.describe();
    svc.write(&ctx.region, |state, _| {
        state.insert_pool(pool);
        Ok(())
    })?;
    svc.check_source_arn(&id, source_arn.as_deref());
    svc.prepare_keys();
    Ok(CreateUserPoolResponse {
        user_pool: Some(described),
    })
}

pub fn describe_user_pool(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DescribeUserPoolRequest,
) -> CognitoResult<DescribeUserPoolResponse> {
    svc.read(&ctx.region, |state| {
        Ok(DescribeUserPoolResponse {
            user_pool: Some(state.pool(i.user_pool_id())?.describe()),
        })
    })
}

pub fn list_user_pools(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListUserPoolsRequest,
) -> CognitoResult<ListUserPoolsResponse> {
    let mut pools = svc.read(&ctx.region, |state| {
        Ok(state
            .pools()
            .map(|p| (p.created, p.summary()))
            .collect::<Vec<_>>())
    })?;
    pools.sort_by(|(a, pa), (b, pb)| a.cmp(b).then(pa.id.cmp(&pb.id)));
    let summaries: Vec<UserPoolDescriptionType> = pools.into_iter().map(|(_, s)| s).collect();
    let (page, next) = paginate(&summaries, i.next_token.as_deref(), i.max_results, 60)?;
    Ok(ListUserPoolsResponse {
        user_pools: Some(page),
        next_token: next,
    })
}

pub fn update_user_pool(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateUserPoolRequest,
) -> CognitoResult<UpdateUserPoolResponse> {
    let pool_id = i.user_pool_id().to_owned();
    let new_name = i.pool_name.clone();
    let source_arn = i
        .email_configuration
        .as_ref()
        .and_then(|c| c.source_arn.clone());
    let settings = PoolSettings::of_update(i);
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        pool.update(settings, now)?;
        if let Some(name) = new_name {
            pool.name = name;
        }
        Ok(())
    })?;
    svc.check_source_arn(&pool_id, source_arn.as_deref());
    Ok(UpdateUserPoolResponse {})
}

pub fn delete_user_pool(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteUserPoolRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        if state.pool(i.user_pool_id())?.deletion_protected() {
            return Err(CognitoError::InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.".into(),
            ));
        }
        state.remove_pool(i.user_pool_id())?;
        Ok(())
    })
}
