//! The Cognito API as the emulator implements it: the generated trait's methods that are
//! emulated, each handing its typed input to the operation in `ops/`. Every other
//! operation of the model keeps the trait's default, an `UnknownOperationException`
//! that names it as not emulated.

use super::{ops, Cognito, CognitoResult};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::generated::cognito::CognitoApi;

/// Declares the emulated operations, `"Name" method(Input) -> Output => ops::module::function`:
/// the trait's methods, and [`EMULATED`], from one list, so the two cannot disagree.
macro_rules! emulated {
    ($($name:literal $method:ident($input:ty) -> $output:ty => $($op:ident)::+;)*) => {
        /// The operations the emulator emulates. A test checks them against the model
        /// and the README's table.
        pub const EMULATED: &[&str] = &[$($name),*];

        impl CognitoApi for Cognito {
            $(
                fn $method(&self, ctx: &RequestContext, input: $input) -> CognitoResult<$output> {
                    ops::$($op)::+(self, ctx, input)
                }
            )*
        }
    };
}

emulated! {
    "CreateUserPool" create_user_pool(CreateUserPoolRequest) -> CreateUserPoolResponse => pools::create_user_pool;
    "DescribeUserPool" describe_user_pool(DescribeUserPoolRequest) -> DescribeUserPoolResponse => pools::describe_user_pool;
    "ListUserPools" list_user_pools(ListUserPoolsRequest) -> ListUserPoolsResponse => pools::list_user_pools;
    "UpdateUserPool" update_user_pool(UpdateUserPoolRequest) -> UpdateUserPoolResponse => pools::update_user_pool;
    "DeleteUserPool" delete_user_pool(DeleteUserPoolRequest) -> () => pools::delete_user_pool;
    "CreateUserPoolClient" create_user_pool_client(CreateUserPoolClientRequest) -> CreateUserPoolClientResponse => clients::create_user_pool_client;
    "DescribeUserPoolClient" describe_user_pool_client(DescribeUserPoolClientRequest) -> DescribeUserPoolClientResponse => clients::describe_user_pool_client;
    "ListUserPoolClients" list_user_pool_clients(ListUserPoolClientsRequest) -> ListUserPoolClientsResponse => clients::list_user_pool_clients;
    "UpdateUserPoolClient" update_user_pool_client(UpdateUserPoolClientRequest) -> UpdateUserPoolClientResponse => clients::update_user_pool_client;
    "DeleteUserPoolClient" delete_user_pool_client(DeleteUserPoolClientRequest) -> () => clients::delete_user_pool_client;
    "SignUp" sign_up(SignUpRequest) -> SignUpResponse => sign_up::sign_up;
    "ConfirmSignUp" confirm_sign_up(ConfirmSignUpRequest) -> ConfirmSignUpResponse => sign_up::confirm_sign_up;
    "ResendConfirmationCode" resend_confirmation_code(ResendConfirmationCodeRequest) -> ResendConfirmationCodeResponse => sign_up::resend_confirmation_code;
    "AdminConfirmSignUp" admin_confirm_sign_up(AdminConfirmSignUpRequest) -> AdminConfirmSignUpResponse => sign_up::admin_confirm_sign_up;
    "AdminCreateUser" admin_create_user(AdminCreateUserRequest) -> AdminCreateUserResponse => users::admin_create_user;
    "AdminGetUser" admin_get_user(AdminGetUserRequest) -> AdminGetUserResponse => users::admin_get_user;
    "AdminDeleteUser" admin_delete_user(AdminDeleteUserRequest) -> () => users::admin_delete_user;
    "AdminDisableUser" admin_disable_user(AdminDisableUserRequest) -> AdminDisableUserResponse => users::admin_disable_user;
    "AdminEnableUser" admin_enable_user(AdminEnableUserRequest) -> AdminEnableUserResponse => users::admin_enable_user;
    "AdminSetUserPassword" admin_set_user_password(AdminSetUserPasswordRequest) -> AdminSetUserPasswordResponse => users::admin_set_user_password;
    "AdminResetUserPassword" admin_reset_user_password(AdminResetUserPasswordRequest) -> AdminResetUserPasswordResponse => users::admin_reset_user_password;
    "ListUsers" list_users(ListUsersRequest) -> ListUsersResponse => users::list_users;
    "GetUser" get_user(GetUserRequest) -> GetUserResponse => users::get_user;
    "DeleteUser" delete_user(DeleteUserRequest) -> () => users::delete_user;
    "UpdateUserAttributes" update_user_attributes(UpdateUserAttributesRequest) -> UpdateUserAttributesResponse => attributes::update_user_attributes;
    "AdminUpdateUserAttributes" admin_update_user_attributes(AdminUpdateUserAttributesRequest) -> AdminUpdateUserAttributesResponse => attributes::admin_update_user_attributes;
    "GetUserAttributeVerificationCode" get_user_attribute_verification_code(GetUserAttributeVerificationCodeRequest) -> GetUserAttributeVerificationCodeResponse => attributes::get_user_attribute_verification_code;
    "VerifyUserAttribute" verify_user_attribute(VerifyUserAttributeRequest) -> VerifyUserAttributeResponse => attributes::verify_user_attribute;
    "DeleteUserAttributes" delete_user_attributes(DeleteUserAttributesRequest) -> DeleteUserAttributesResponse => attributes::delete_user_attributes;
    "AdminDeleteUserAttributes" admin_delete_user_attributes(AdminDeleteUserAttributesRequest) -> AdminDeleteUserAttributesResponse => attributes::admin_delete_user_attributes;
    "AddCustomAttributes" add_custom_attributes(AddCustomAttributesRequest) -> AddCustomAttributesResponse => attributes::add_custom_attributes;
    "CreateGroup" create_group(CreateGroupRequest) -> CreateGroupResponse => groups::create_group;
    "GetGroup" get_group(GetGroupRequest) -> GetGroupResponse => groups::get_group;
    "ListGroups" list_groups(ListGroupsRequest) -> ListGroupsResponse => groups::list_groups;
    "UpdateGroup" update_group(UpdateGroupRequest) -> UpdateGroupResponse => groups::update_group;
    "DeleteGroup" delete_group(DeleteGroupRequest) -> () => groups::delete_group;
    "AdminAddUserToGroup" admin_add_user_to_group(AdminAddUserToGroupRequest) -> () => groups::admin_add_user_to_group;
    "AdminRemoveUserFromGroup" admin_remove_user_from_group(AdminRemoveUserFromGroupRequest) -> () => groups::admin_remove_user_from_group;
    "AdminListGroupsForUser" admin_list_groups_for_user(AdminListGroupsForUserRequest) -> AdminListGroupsForUserResponse => groups::admin_list_groups_for_user;
    "ListUsersInGroup" list_users_in_group(ListUsersInGroupRequest) -> ListUsersInGroupResponse => groups::list_users_in_group;
    "InitiateAuth" initiate_auth(InitiateAuthRequest) -> InitiateAuthResponse => auth::initiate_auth;
    "AdminInitiateAuth" admin_initiate_auth(AdminInitiateAuthRequest) -> AdminInitiateAuthResponse => auth::admin_initiate_auth;
    "RespondToAuthChallenge" respond_to_auth_challenge(RespondToAuthChallengeRequest) -> RespondToAuthChallengeResponse => auth::respond_to_auth_challenge;
    "AdminRespondToAuthChallenge" admin_respond_to_auth_challenge(AdminRespondToAuthChallengeRequest) -> AdminRespondToAuthChallengeResponse => auth::admin_respond_to_auth_challenge;
    "GetTokensFromRefreshToken" get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest) -> GetTokensFromRefreshTokenResponse => auth::get_tokens_from_refresh_token;
    "ForgotPassword" forgot_password(ForgotPasswordRequest) -> ForgotPasswordResponse => sessions::forgot_password;
    "ConfirmForgotPassword" confirm_forgot_password(ConfirmForgotPasswordRequest) -> ConfirmForgotPasswordResponse => sessions::confirm_forgot_password;
    "ChangePassword" change_password(ChangePasswordRequest) -> ChangePasswordResponse => sessions::change_password;
    "GlobalSignOut" global_sign_out(GlobalSignOutRequest) -> GlobalSignOutResponse => sessions::global_sign_out;
    "AdminUserGlobalSignOut" admin_user_global_sign_out(AdminUserGlobalSignOutRequest) -> AdminUserGlobalSignOutResponse => sessions::admin_user_global_sign_out;
    "SetUserPoolMfaConfig" set_user_pool_mfa_config(SetUserPoolMfaConfigRequest) -> SetUserPoolMfaConfigResponse => mfa::set_user_pool_mfa_config;
    "GetUserPoolMfaConfig" get_user_pool_mfa_config(GetUserPoolMfaConfigRequest) -> GetUserPoolMfaConfigResponse => mfa::get_user_pool_mfa_config;
    "AssociateSoftwareToken" associate_software_token(AssociateSoftwareTokenRequest) -> AssociateSoftwareTokenResponse => mfa::associate_software_token;
    "VerifySoftwareToken" verify_software_token(VerifySoftwareTokenRequest) -> VerifySoftwareTokenResponse => mfa::verify_software_token;
    "SetUserMFAPreference" set_user_mfa_preference(SetUserMFAPreferenceRequest) -> SetUserMFAPreferenceResponse => mfa::set_user_mfa_preference;
    "AdminSetUserMFAPreference" admin_set_user_mfa_preference(AdminSetUserMFAPreferenceRequest) -> AdminSetUserMFAPreferenceResponse => mfa::admin_set_user_mfa_preference;
    "RevokeToken" revoke_token(RevokeTokenRequest) -> RevokeTokenResponse => sessions::revoke_token;
    "CreateUserPoolDomain" create_user_pool_domain(CreateUserPoolDomainRequest) -> CreateUserPoolDomainResponse => domains::create_user_pool_domain;
    "DescribeUserPoolDomain" describe_user_pool_domain(DescribeUserPoolDomainRequest) -> DescribeUserPoolDomainResponse => domains::describe_user_pool_domain;
    "UpdateUserPoolDomain" update_user_pool_domain(UpdateUserPoolDomainRequest) -> UpdateUserPoolDomainResponse => domains::update_user_pool_domain;
    "DeleteUserPoolDomain" delete_user_pool_domain(DeleteUserPoolDomainRequest) -> DeleteUserPoolDomainResponse => domains::delete_user_pool_domain;
    "CreateResourceServer" create_resource_server(CreateResourceServerRequest) -> CreateResourceServerResponse => resource_servers::create_resource_server;
    "DescribeResourceServer" describe_resource_server(DescribeResourceServerRequest) -> DescribeResourceServerResponse => resource_servers::describe_resource_server;
    "ListResourceServers" list_resource_servers(ListResourceServersRequest) -> ListResourceServersResponse => resource_servers::list_resource_servers;
    "UpdateResourceServer" update_resource_server(UpdateResourceServerRequest) -> UpdateResourceServerResponse => resource_servers::update_resource_server;
    "DeleteResourceServer" delete_resource_server(DeleteResourceServerRequest) -> () => resource_servers::delete_resource_server;
    "CreateIdentityProvider" create_identity_provider(CreateIdentityProviderRequest) -> CreateIdentityProviderResponse => identity_providers::create_identity_provider;
    "DescribeIdentityProvider" describe_identity_provider(DescribeIdentityProviderRequest) -> DescribeIdentityProviderResponse => identity_providers::describe_identity_provider;
    "ListIdentityProviders" list_identity_providers(ListIdentityProvidersRequest) -> ListIdentityProvidersResponse => identity_providers::list_identity_providers;
    "UpdateIdentityProvider" update_identity_provider(UpdateIdentityProviderRequest) -> UpdateIdentityProviderResponse => identity_providers::update_identity_provider;
    "DeleteIdentityProvider" delete_identity_provider(DeleteIdentityProviderRequest) -> () => identity_providers::delete_identity_provider;
    "GetIdentityProviderByIdentifier" get_identity_provider_by_identifier(GetIdentityProviderByIdentifierRequest) -> GetIdentityProviderByIdentifierResponse => identity_providers::get_identity_provider_by_identifier;
}
