//! CreateResourceServer, DescribeResourceServer, ListResourceServers,
//! UpdateResourceServer, DeleteResourceServer.
//!
//! A resource server's scopes are the custom scopes (`identifier/name`) app clients may
//! be allowed and tokens granted. Deleting a server, or a scope, leaves the clients that
//! name its scopes as they are, as on AWS.

use std::collections::HashSet;

use super::paginate;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

/// The page size when the caller names none (the model requires `MaxResults`, and
/// allows at most 50).
const PAGE: usize = 50;

/// The server as AWS describes it, after checking that its scope names are unique.
fn server(
    pool_id: &str,
    identifier: &str,
    name: &str,
    scopes: Option<Vec<ResourceServerScopeType>>,
) -> CognitoResult<ResourceServerType> {
    let scopes = scopes.unwrap_or_default();
    let mut seen = HashSet::new();
    for scope in &scopes {
        let scope_name = scope.scope_name.as_deref().unwrap_or_default();
        if !seen.insert(scope_name) {
            return Err(CognitoError::InvalidParameterException(format!(
                "Scope {scope_name} is listed more than once: scope names must be unique within a resource server."
            )));
        }
    }
    Ok(ResourceServerType {
        user_pool_id: Some(pool_id.to_owned()),
        identifier: Some(identifier.to_owned()),
        name: Some(name.to_owned()),
        scopes: Some(scopes),
        managed_by: None,
    })
}

pub fn create_resource_server(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateResourceServerRequest,
) -> CognitoResult<CreateResourceServerResponse> {
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let identifier = i.identifier().to_owned();
        if pool.oauth.resource_servers.contains_key(&identifier) {
            return Err(CognitoError::InvalidParameterException(format!(
                "A resource server with identifier {identifier} already exists in user pool {}.",
                pool.id
            )));
        }
        let created = server(&pool.id, &identifier, i.name(), i.scopes.clone())?;
        pool.oauth
            .resource_servers
            .insert(identifier, created.clone());
        Ok(CreateResourceServerResponse {
            resource_server: Some(created),
        })
    })
}

pub fn describe_resource_server(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DescribeResourceServerRequest,
) -> CognitoResult<DescribeResourceServerResponse> {
    svc.read(&ctx.region, |state| {
        let described = state
            .pool(i.user_pool_id())?
            .oauth
            .resource_servers
            .get(i.identifier())
            .cloned()
            .ok_or_else(|| CognitoError::resource_server_not_found(i.identifier()))?;
        Ok(DescribeResourceServerResponse {
            resource_server: Some(described),
        })
    })
}

pub fn list_resource_servers(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListResourceServersRequest,
) -> CognitoResult<ListResourceServersResponse> {
    let servers = svc.read(&ctx.region, |state| {
        Ok(state
            .pool(i.user_pool_id())?
            .oauth
            .resource_servers
            .values()
            .cloned()
            .collect::<Vec<_>>())
    })?;
    let (page, next) = paginate(&servers, i.next_token.as_deref(), i.max_results, PAGE)?;
    Ok(ListResourceServersResponse {
        resource_servers: Some(page),
        next_token: next,
    })
}

pub fn update_resource_server(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateResourceServerRequest,
) -> CognitoResult<UpdateResourceServerResponse> {
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        if !pool.oauth.resource_servers.contains_key(i.identifier()) {
            return Err(CognitoError::resource_server_not_found(i.identifier()));
        }
        // As with pools and clients, an update replaces the server: scopes it leaves out
        // are gone.
        let updated = server(&pool.id, i.identifier(), i.name(), i.scopes.clone())?;
        pool.oauth
            .resource_servers
            .insert(i.identifier().to_owned(), updated.clone());
        Ok(UpdateResourceServerResponse {
            resource_server: Some(updated),
        })
    })
}

pub fn delete_resource_server(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteResourceServerRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        state
            .pool_mut(i.user_pool_id())?
            .oauth
            .resource_servers
            .remove(i.identifier())
            .map(|_| ())
            .ok_or_else(|| CognitoError::resource_server_not_found(i.identifier()))
    })
}
