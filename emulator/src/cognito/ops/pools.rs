//! CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool, DeleteUserPool.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{page_size, paginate};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::{check_len, parse};
use crate::cognito::pool::{PoolIdentity, PoolSettings, UserPool};
use crate::cognito::{ids, Cognito};
use crate::context::RequestContext;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Named {
    pool_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PoolRef {
    user_pool_id: String,
}

pub fn create_user_pool(svc: &Cognito, ctx: &RequestContext, input: Value) -> CognitoResult<Value> {
    let Named { pool_name } = parse(input.clone())?;
    check_len("poolName", &pool_name, false, 1, 128)?;
    let settings: PoolSettings = parse(input.clone())?;
    let identity: PoolIdentity = parse(input)?;
    let id = ids::pool_id(&ctx.region);
    let pool = UserPool::new(
        id.clone(),
        pool_name,
        &ctx.region,
        &ctx.account_id,
        svc.clock().now_epoch(),
        settings,
        identity,
    )?;
    let described = pool.describe();
    let source_arn = pool
        .settings
        .email_configuration
        .as_ref()
        .and_then(|c| c.source_arn.clone());
    svc.state().pools.insert(id.clone(), pool);
    svc.check_source_arn(&id, source_arn.as_deref());
    svc.prepare_keys();
    Ok(json!({ "UserPool": described }))
}

pub fn describe_user_pool(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let PoolRef { user_pool_id } = parse(input)?;
    Ok(json!({ "UserPool": svc.state().pool(&user_pool_id)?.describe() }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    max_results: i64,
    next_token: Option<String>,
}

pub fn list_user_pools(svc: &Cognito, ctx: &RequestContext, input: Value) -> CognitoResult<Value> {
    let ListInput {
        max_results,
        next_token,
    } = parse(input)?;
    let max = page_size("maxResults", Some(max_results), 60)?;
    let state = svc.state();
    let mut pools: Vec<&UserPool> = state
        .pools
        .values()
        .filter(|p| p.region == ctx.region)
        .collect();
    pools.sort_by(|a, b| a.created.total_cmp(&b.created).then(a.id.cmp(&b.id)));
    let summaries: Vec<Value> = pools.iter().map(|p| p.summary()).collect();
    let (page, next) = paginate(&summaries, next_token.as_deref(), max)?;
    let mut out = json!({ "UserPools": page });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

pub fn update_user_pool(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let PoolRef { user_pool_id } = parse(input.clone())?;
    let settings: PoolSettings = parse(input)?;
    let source_arn = settings
        .email_configuration
        .as_ref()
        .and_then(|c| c.source_arn.clone());
    let now = svc.clock().now_epoch();
    svc.state().pool_mut(&user_pool_id)?.update(settings, now)?;
    svc.check_source_arn(&user_pool_id, source_arn.as_deref());
    Ok(json!({}))
}

pub fn delete_user_pool(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let PoolRef { user_pool_id } = parse(input)?;
    let mut state = svc.state();
    if state.pool(&user_pool_id)?.deletion_protected() {
        return Err(CognitoError::InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.".into(),
        ));
    }
    state.pools.remove(&user_pool_id);
    state.client_pools.retain(|_, pool| *pool != user_pool_id);
    state.challenges.retain(|_, c| c.pool_id != user_pool_id);
    Ok(json!({}))
}
