//! CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use super::paginate;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::group::Group;
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

/// AWS's page size for group listings when the caller names none.
const PAGE: usize = 60;

pub fn create_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateGroupRequest,
) -> CognitoResult<CreateGroupResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let group = Group::new(
            i.group_name().to_owned(),
            i.description.clone(),
            i.role_arn.clone(),
            i.precedence,
            now,
        );
        let described = group.describe(&pool.id);
        pool.insert_group(group)?;
        Ok(CreateGroupResponse {
            group: Some(described),
        })
    })
}

pub fn get_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetGroupRequest,
) -> CognitoResult<GetGroupResponse> {
    svc.read(&ctx.region, |state| {
        let pool = state.pool(i.user_pool_id())?;
        Ok(GetGroupResponse {
            group: Some(pool.group(i.group_name())?.describe(&pool.id)),
        })
    })
}

pub fn list_groups(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListGroupsRequest,
) -> CognitoResult<ListGroupsResponse> {
    let groups = svc.read(&ctx.region, |state| {
        let pool = state.pool(i.user_pool_id())?;
        Ok(pool
            .groups()
            .map(|g| g.describe(&pool.id))
            .collect::<Vec<_>>())
    })?;
    let (page, next) = paginate(&groups, i.next_token.as_deref(), i.limit, PAGE)?;
    Ok(ListGroupsResponse {
        groups: Some(page),
        next_token: next,
    })
}

pub fn update_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateGroupRequest,
) -> CognitoResult<UpdateGroupResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let pool_id = pool.id.clone();
        let group = pool.group_mut(i.group_name())?;
        // Unlike UpdateUserPool, UpdateGroup changes only what it names: AWS describes it
        // as updating "any of the properties" given.
        if let Some(description) = &i.description {
            group.description = Some(description.clone());
        }
        if let Some(role) = &i.role_arn {
            group.role_arn = Some(role.clone());
        }
        if let Some(precedence) = i.precedence {
            group.precedence = Some(precedence);
        }
        group.modified = now;
        Ok(UpdateGroupResponse {
            group: Some(group.describe(&pool_id)),
        })
    })
}

pub fn delete_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteGroupRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        state
            .pool_mut(i.user_pool_id())?
            .remove_group(i.group_name())?;
        Ok(())
    })
}

/// Adds (`true`) or removes the user called `username` to or from group `group`.
fn set_membership(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    username: &str,
    group: &str,
    member: bool,
) -> CognitoResult<()> {
    svc.write(region, |state, _| {
        let pool = state.pool_mut(pool_id)?;
        // The user is looked up first: a call naming neither a known user nor a known
        // group is answered about the user.
        let key = pool
            .find_username(username)
            .ok_or_else(CognitoError::user_not_found)?;
        let members = &mut pool.group_mut(group)?.members;
        if member {
            members.insert(key);
        } else {
            members.remove(&key);
        }
        Ok(())
    })
}

pub fn admin_add_user_to_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminAddUserToGroupRequest,
) -> CognitoResult<()> {
    set_membership(
        svc,
        &ctx.region,
        i.user_pool_id(),
        i.username(),
        i.group_name(),
        true,
    )
}

pub fn admin_remove_user_from_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminRemoveUserFromGroupRequest,
) -> CognitoResult<()> {
    set_membership(
        svc,
        &ctx.region,
        i.user_pool_id(),
        i.username(),
        i.group_name(),
        false,
    )
}

pub fn admin_list_groups_for_user(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminListGroupsForUserRequest,
) -> CognitoResult<AdminListGroupsForUserResponse> {
    let groups = svc.read(&ctx.region, |state| {
        let pool = state.pool(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        Ok(pool
            .groups_of(&key)
            .map(|g| g.describe(&pool.id))
            .collect::<Vec<_>>())
    })?;
    let (page, next) = paginate(&groups, i.next_token.as_deref(), i.limit, PAGE)?;
    Ok(AdminListGroupsForUserResponse {
        groups: Some(page),
        next_token: next,
    })
}

pub fn list_users_in_group(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListUsersInGroupRequest,
) -> CognitoResult<ListUsersInGroupResponse> {
    let users = svc.read(&ctx.region, |state| {
        let pool = state.pool(i.user_pool_id())?;
        Ok(pool
            .group(i.group_name())?
            .members
            .iter()
            .filter_map(|username| pool.stored_user(username))
            .map(|u| u.describe())
            .collect::<Vec<_>>())
    })?;
    let (page, next) = paginate(&users, i.next_token.as_deref(), i.limit, PAGE)?;
    Ok(ListUsersInGroupResponse {
        users: Some(page),
        next_token: next,
    })
}
