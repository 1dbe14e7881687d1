//! CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
//! UpdateUserPoolClient, DeleteUserPoolClient.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{page_size, paginate};
use crate::cognito::client::{AppClient, ClientSettings};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::{check_len, parse};
use crate::cognito::{ids, Cognito};
use crate::context::RequestContext;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
}

pub fn create_user_pool_client(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let CreateInput {
        user_pool_id,
        client_name,
        generate_secret,
    } = parse(input.clone())?;
    check_len("clientName", &client_name, false, 1, 128)?;
    let settings: ClientSettings = parse(input)?;
    settings.validate()?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&user_pool_id)?;
    let client = AppClient {
        id: ids::client_id(),
        pool_id: user_pool_id.clone(),
        secret: generate_secret.then(ids::client_secret),
        created: now,
        modified: now,
        settings,
    };
    let described = client.describe();
    let id = client.id.clone();
    pool.clients.insert(id.clone(), client);
    state.client_pools.insert(id, user_pool_id);
    Ok(json!({ "UserPoolClient": described }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ClientRef {
    user_pool_id: String,
    client_id: String,
}

pub fn describe_user_pool_client(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let ClientRef {
        user_pool_id,
        client_id,
    } = parse(input)?;
    let state = svc.state();
    let client = state.pool(&user_pool_id)?.client(&client_id)?;
    Ok(json!({ "UserPoolClient": client.describe() }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub fn list_user_pool_clients(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let ListInput {
        user_pool_id,
        max_results,
        next_token,
    } = parse(input)?;
    let max = page_size("maxResults", max_results, 60)?;
    let state = svc.state();
    let mut clients: Vec<&AppClient> = state.pool(&user_pool_id)?.clients.values().collect();
    clients.sort_by(|a, b| a.created.total_cmp(&b.created).then(a.id.cmp(&b.id)));
    let summaries: Vec<Value> = clients.iter().map(|c| c.summary()).collect();
    let (page, next) = paginate(&summaries, next_token.as_deref(), max)?;
    let mut out = json!({ "UserPoolClients": page });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

pub fn update_user_pool_client(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let ClientRef {
        user_pool_id,
        client_id,
    } = parse(input.clone())?;
    let mut settings: ClientSettings = parse(input)?;
    settings.validate()?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&user_pool_id)?;
    let client = pool
        .clients
        .get_mut(&client_id)
        .ok_or_else(|| CognitoError::client_not_found(&client_id))?;
    // The name is the one member an update without it keeps.
    if settings.client_name.is_none() {
        settings.client_name = client.settings.client_name.clone();
    }
    client.settings = settings;
    client.modified = now;
    Ok(json!({ "UserPoolClient": client.describe() }))
}

pub fn delete_user_pool_client(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let ClientRef {
        user_pool_id,
        client_id,
    } = parse(input)?;
    let mut state = svc.state();
    let pool = state.pool_mut(&user_pool_id)?;
    if pool.clients.remove(&client_id).is_none() {
        return Err(CognitoError::client_not_found(&client_id));
    }
    state.client_pools.remove(&client_id);
    Ok(json!({}))
}
