//! CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
//! UpdateUserPoolClient, DeleteUserPoolClient.

use super::paginate;
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::{ids, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

pub fn create_user_pool_client(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateUserPoolClientRequest,
) -> CognitoResult<CreateUserPoolClientResponse> {
    let secret = i.generate_secret.unwrap_or(false).then(ids::client_secret);
    let client = AppClient::create(ids::client_id(), secret, i, svc.now())?;
    let described = client.describe();
    svc.write(&ctx.region, |state, _| {
        client.check_oauth(&state.pool(&client.pool_id)?.oauth)?;
        state.insert_client(client)
    })?;
    Ok(CreateUserPoolClientResponse {
        user_pool_client: Some(described),
    })
}

pub fn describe_user_pool_client(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DescribeUserPoolClientRequest,
) -> CognitoResult<DescribeUserPoolClientResponse> {
    svc.read(&ctx.region, |state| {
        let client = state.pool(i.user_pool_id())?.client(i.client_id())?;
        Ok(DescribeUserPoolClientResponse {
            user_pool_client: Some(client.describe()),
        })
    })
}

pub fn list_user_pool_clients(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListUserPoolClientsRequest,
) -> CognitoResult<ListUserPoolClientsResponse> {
    let mut clients = svc.read(&ctx.region, |state| {
        Ok(state
            .pool(i.user_pool_id())?
            .clients
            .values()
            .map(|c| (c.created(), c.id.clone(), c.summary()))
            .collect::<Vec<_>>())
    })?;
    clients.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let summaries: Vec<UserPoolClientDescription> =
        clients.into_iter().map(|(_, _, s)| s).collect();
    let (page, next) = paginate(&summaries, i.next_token.as_deref(), i.max_results, 60)?;
    Ok(ListUserPoolClientsResponse {
        user_pool_clients: Some(page),
        next_token: next,
    })
}

pub fn update_user_pool_client(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateUserPoolClientRequest,
) -> CognitoResult<UpdateUserPoolClientResponse> {
    let now = svc.now();
    let (pool_id, client_id) = (i.user_pool_id().to_owned(), i.client_id().to_owned());
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        let client = pool
            .clients
            .get_mut(&client_id)
            .ok_or_else(|| CognitoError::client_not_found(&client_id))?;
        client.update(i, now, &pool.oauth)?;
        Ok(UpdateUserPoolClientResponse {
            user_pool_client: Some(client.describe()),
        })
    })
}

pub fn delete_user_pool_client(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteUserPoolClientRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        state.remove_client(i.user_pool_id(), i.client_id())
    })
}
