//! The Cognito API as the emulator implements it: the generated trait's methods that are
//! emulated, each handing its typed input to the operation in `ops/`. Every other
//! operation of the model keeps the trait's default, an `UnknownOperationException`
//! that names it as not emulated.

use super::{ops, Cognito, CognitoResult};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::generated::cognito::CognitoApi;

/// The operations the emulator emulates, in the model's order. A test checks this list
/// against the trait implementation below and the README's table.
pub const EMULATED: &[&str] = &[
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminDeleteUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminGetUser",
    "AdminInitiateAuth",
    "AdminRespondToAuthChallenge",
    "AdminSetUserPassword",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "ChangePassword",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "CreateUserPool",
    "CreateUserPoolClient",
    "DeleteUser",
    "DeleteUserPool",
    "DeleteUserPoolClient",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "ForgotPassword",
    "GetUser",
    "GlobalSignOut",
    "InitiateAuth",
    "ListUserPoolClients",
    "ListUserPools",
    "ListUsers",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SignUp",
    "UpdateUserPool",
    "UpdateUserPoolClient",
];

/// Declares the emulated methods: `method(Input) -> Output => ops::module::function`.
macro_rules! emulated {
    ($($method:ident($input:ty) -> $output:ty => $($op:ident)::+;)*) => {
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
    create_user_pool(CreateUserPoolRequest) -> CreateUserPoolResponse => pools::create_user_pool;
    describe_user_pool(DescribeUserPoolRequest) -> DescribeUserPoolResponse => pools::describe_user_pool;
    list_user_pools(ListUserPoolsRequest) -> ListUserPoolsResponse => pools::list_user_pools;
    update_user_pool(UpdateUserPoolRequest) -> UpdateUserPoolResponse => pools::update_user_pool;
    delete_user_pool(DeleteUserPoolRequest) -> () => pools::delete_user_pool;
    create_user_pool_client(CreateUserPoolClientRequest) -> CreateUserPoolClientResponse => clients::create_user_pool_client;
    describe_user_pool_client(DescribeUserPoolClientRequest) -> DescribeUserPoolClientResponse => clients::describe_user_pool_client;
    list_user_pool_clients(ListUserPoolClientsRequest) -> ListUserPoolClientsResponse => clients::list_user_pool_clients;
    update_user_pool_client(UpdateUserPoolClientRequest) -> UpdateUserPoolClientResponse => clients::update_user_pool_client;
    delete_user_pool_client(DeleteUserPoolClientRequest) -> () => clients::delete_user_pool_client;
    sign_up(SignUpRequest) -> SignUpResponse => sign_up::sign_up;
    confirm_sign_up(ConfirmSignUpRequest) -> ConfirmSignUpResponse => sign_up::confirm_sign_up;
    resend_confirmation_code(ResendConfirmationCodeRequest) -> ResendConfirmationCodeResponse => sign_up::resend_confirmation_code;
    admin_confirm_sign_up(AdminConfirmSignUpRequest) -> AdminConfirmSignUpResponse => sign_up::admin_confirm_sign_up;
    admin_create_user(AdminCreateUserRequest) -> AdminCreateUserResponse => users::admin_create_user;
    admin_get_user(AdminGetUserRequest) -> AdminGetUserResponse => users::admin_get_user;
    admin_delete_user(AdminDeleteUserRequest) -> () => users::admin_delete_user;
    admin_update_user_attributes(AdminUpdateUserAttributesRequest) -> AdminUpdateUserAttributesResponse => users::admin_update_user_attributes;
    admin_disable_user(AdminDisableUserRequest) -> AdminDisableUserResponse => users::admin_disable_user;
    admin_enable_user(AdminEnableUserRequest) -> AdminEnableUserResponse => users::admin_enable_user;
    admin_set_user_password(AdminSetUserPasswordRequest) -> AdminSetUserPasswordResponse => users::admin_set_user_password;
    list_users(ListUsersRequest) -> ListUsersResponse => users::list_users;
    get_user(GetUserRequest) -> GetUserResponse => users::get_user;
    delete_user(DeleteUserRequest) -> () => users::delete_user;
    initiate_auth(InitiateAuthRequest) -> InitiateAuthResponse => auth::initiate_auth;
    admin_initiate_auth(AdminInitiateAuthRequest) -> AdminInitiateAuthResponse => auth::admin_initiate_auth;
    respond_to_auth_challenge(RespondToAuthChallengeRequest) -> RespondToAuthChallengeResponse => auth::respond_to_auth_challenge;
    admin_respond_to_auth_challenge(AdminRespondToAuthChallengeRequest) -> AdminRespondToAuthChallengeResponse => auth::admin_respond_to_auth_challenge;
    forgot_password(ForgotPasswordRequest) -> ForgotPasswordResponse => sessions::forgot_password;
    confirm_forgot_password(ConfirmForgotPasswordRequest) -> ConfirmForgotPasswordResponse => sessions::confirm_forgot_password;
    change_password(ChangePasswordRequest) -> ChangePasswordResponse => sessions::change_password;
    global_sign_out(GlobalSignOutRequest) -> GlobalSignOutResponse => sessions::global_sign_out;
    admin_user_global_sign_out(AdminUserGlobalSignOutRequest) -> AdminUserGlobalSignOutResponse => sessions::admin_user_global_sign_out;
    revoke_token(RevokeTokenRequest) -> RevokeTokenResponse => sessions::revoke_token;
}
