//! Cognito operations called directly (no HTTP), with a clock the tests move: the
//! behaviour AWS documents for codes, sessions, challenges, secrets and updates.

use std::sync::Arc;
use std::time::Duration;

use cognito_emulator::clock::ManualClock;
use cognito_emulator::cognito::{Cognito, CognitoError};
use cognito_emulator::context::RequestContext;
use cognito_emulator::mailer::Mailer;
use cognito_emulator::Outbox;
use serde_json::{json, Value};

struct Env {
    cognito: Cognito,
    outbox: Outbox,
    clock: ManualClock,
    ctx: RequestContext,
}

impl Env {
    fn new() -> Self {
        let clock = ManualClock::starting_now();
        let outbox = Outbox::new();
        let mailer = Mailer::new(outbox.clone(), None, Arc::new(clock.clone()));
        Self {
            cognito: Cognito::new(Arc::new(clock.clone()), mailer),
            outbox,
            clock,
            ctx: RequestContext::new("eu-west-1", "123456789012"),
        }
    }

    fn call(&self, op: &str, input: Value) -> Result<Value, CognitoError> {
        self.cognito.dispatch(&self.ctx, op, input)
    }

    fn ok(&self, op: &str, input: Value) -> Value {
        self.call(op, input)
            .unwrap_or_else(|e| panic!("{op} failed: {}: {}", e.code(), e.message()))
    }

    fn err(&self, op: &str, input: Value) -> CognitoError {
        match self.call(op, input) {
            Ok(v) => panic!("{op} should have failed, got {v}"),
            Err(e) => e,
        }
    }

    /// An e-mail pool and a USER_PASSWORD_AUTH client.
    fn pool(&self, client_extra: Value) -> (String, String) {
        let pool = self.ok(
            "CreateUserPool",
            json!({"PoolName": "p", "AutoVerifiedAttributes": ["email"], "UsernameAttributes": ["email"]}),
        );
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let mut input = json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]});
        for (k, v) in client_extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        let client = self.ok("CreateUserPoolClient", input);
        (
            pool_id,
            client["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    }

    fn last_code(&self, to: &str) -> String {
        let mail = self.outbox.to(to).pop().expect("a mail");
        let text = mail.body.text_part.unwrap();
        text.split_whitespace()
            .find(|w| {
                w.trim_end_matches('.').len() == 6
                    && w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
            })
            .unwrap()
            .trim_end_matches('.')
            .to_owned()
    }

    fn login(&self, client: &str, user: &str, password: &str) -> Result<Value, CognitoError> {
        self.call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client, "AuthParameters": {"USERNAME": user, "PASSWORD": password}}),
        )
    }
}

const PW: &str = "Aa123456!";

#[test]
fn a_pool_created_without_options_has_aws_defaults() {
    let env = Env::new();
    let out = env.ok("CreateUserPool", json!({"PoolName": "plain"}));
    let p = &out["UserPool"];
    let id = p["Id"].as_str().unwrap();
    assert!(id.starts_with("eu-west-1_") && id.len() == "eu-west-1_".len() + 9);
    assert_eq!(
        p["Arn"],
        format!("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{id}")
    );
    assert_eq!(
        p["Policies"]["PasswordPolicy"],
        json!({"MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7})
    );
    assert_eq!(
        p["VerificationMessageTemplate"],
        json!({"DefaultEmailOption": "CONFIRM_WITH_CODE"})
    );
    assert_eq!(
        p["EmailConfiguration"],
        json!({"EmailSendingAccount": "COGNITO_DEFAULT"})
    );
    assert_eq!(
        p["AdminCreateUserConfig"],
        json!({"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": 7})
    );
    assert_eq!(p["MfaConfiguration"], "OFF");
    assert_eq!(p["LambdaConfig"], json!({}));
    assert!(p["CreationDate"].is_f64());
    assert!(p.get("UsernameAttributes").is_none());
}

#[test]
fn list_user_pools_pages_and_stays_in_its_region() {
    let env = Env::new();
    for i in 0..5 {
        env.ok("CreateUserPool", json!({"PoolName": format!("p{i}")}));
    }
    let other = RequestContext::new("us-east-1", "123456789012");
    env.cognito
        .dispatch(&other, "CreateUserPool", json!({"PoolName": "elsewhere"}))
        .unwrap();
    let first = env.ok("ListUserPools", json!({"MaxResults": 3}));
    assert_eq!(first["UserPools"].as_array().unwrap().len(), 3);
    let token = first["NextToken"].as_str().unwrap();
    let second = env.ok(
        "ListUserPools",
        json!({"MaxResults": 3, "NextToken": token}),
    );
    assert_eq!(second["UserPools"].as_array().unwrap().len(), 2);
    assert!(second.get("NextToken").is_none());
    let e = env.err("ListUserPools", json!({"MaxResults": 61}));
    assert_eq!(e.code(), "InvalidParameterException");
    let e = env.err("ListUserPools", json!({}));
    assert_eq!(e.message(), "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null");
}

#[test]
fn update_user_pool_resets_what_it_leaves_out() {
    let env = Env::new();
    let out = env.ok("CreateUserPool", json!({"PoolName": "p", "MfaConfiguration": "OFF", "AutoVerifiedAttributes": ["email"], "DeletionProtection": "ACTIVE"}));
    let id = out["UserPool"]["Id"].as_str().unwrap();
    let e = env.err("DeleteUserPool", json!({"UserPoolId": id}));
    assert_eq!(e.code(), "InvalidParameterException");
    env.ok("UpdateUserPool", json!({"UserPoolId": id}));
    let p = env.ok("DescribeUserPool", json!({"UserPoolId": id}));
    assert!(p["UserPool"].get("AutoVerifiedAttributes").is_none());
    assert_eq!(p["UserPool"]["DeletionProtection"], "INACTIVE");
    env.ok("DeleteUserPool", json!({"UserPoolId": id}));
    let e = env.err("DescribeUserPool", json!({"UserPoolId": id}));
    assert_eq!(
        (e.code(), e.message()),
        (
            "ResourceNotFoundException",
            format!("User pool {id} does not exist.").as_str()
        )
    );
}

#[test]
fn sign_up_confirm_and_log_in() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    let out = env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "alice@example.com", "Password": PW}),
    );
    assert_eq!(out["UserConfirmed"], false);
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let e = env.login(&client, "alice@example.com", PW).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("UserNotConfirmedException", "User is not confirmed.")
    );
    let e = env
        .login(&client, "alice@example.com", "Wrong123!")
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    let mail = env.outbox.to("alice@example.com").pop().unwrap();
    assert_eq!(mail.subject.as_deref(), Some("Your verification code"));
    assert_eq!(mail.source, "no-reply@verificationemail.com");
    let code = env.last_code("alice@example.com");
    env.ok(
        "ConfirmSignUp",
        json!({"ClientId": client, "Username": "alice@example.com", "ConfirmationCode": code}),
    );
    let e = env.err(
        "ConfirmSignUp",
        json!({"ClientId": client, "Username": "alice@example.com", "ConfirmationCode": code}),
    );
    assert_eq!(
        e.message(),
        "User cannot be confirmed. Current status is CONFIRMED"
    );

    let user = env.ok(
        "AdminGetUser",
        json!({"UserPoolId": pool, "Username": "alice@example.com"}),
    );
    assert_eq!(user["UserStatus"], "CONFIRMED");
    assert_eq!(user["Username"], out["UserSub"]);
    assert!(user["UserAttributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "email_verified", "Value": "true"})));

    let auth = env.login(&client, "alice@example.com", PW).unwrap();
    assert_eq!(auth["ChallengeParameters"], json!({}));
    assert_eq!(auth["AuthenticationResult"]["ExpiresIn"], 3600);
    assert_eq!(auth["AuthenticationResult"]["TokenType"], "Bearer");
}

#[test]
fn codes_expire_and_lock_after_five_wrong_guesses() {
    let env = Env::new();
    let (_, client) = env.pool(json!({}));
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "bob@example.com", "Password": PW}),
    );
    let code = env.last_code("bob@example.com");
    env.clock.advance(Duration::from_secs(24 * 3600 + 1));
    let e = env.err(
        "ConfirmSignUp",
        json!({"ClientId": client, "Username": "bob@example.com", "ConfirmationCode": code}),
    );
    assert_eq!(
        (e.code(), e.message()),
        (
            "ExpiredCodeException",
            "Invalid code provided, please request a code again."
        )
    );

    env.ok(
        "ResendConfirmationCode",
        json!({"ClientId": client, "Username": "bob@example.com"}),
    );
    let fresh = env.last_code("bob@example.com");
    let wrong = if fresh == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let e = env.err(
            "ConfirmSignUp",
            json!({"ClientId": client, "Username": "bob@example.com", "ConfirmationCode": wrong}),
        );
        assert_eq!(e.code(), "CodeMismatchException");
    }
    let e = env.err(
        "ConfirmSignUp",
        json!({"ClientId": client, "Username": "bob@example.com", "ConfirmationCode": fresh}),
    );
    assert_eq!(e.code(), "LimitExceededException");
}

#[test]
fn unknown_users_are_hidden_when_the_client_asks() {
    let env = Env::new();
    let (_, legacy) = env.pool(json!({}));
    let e = env.login(&legacy, "nobody@example.com", PW).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("UserNotFoundException", "User does not exist.")
    );
    let (_, hiding) = env.pool(json!({"PreventUserExistenceErrors": "ENABLED"}));
    let e = env.login(&hiding, "nobody@example.com", PW).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
    let out = env.ok(
        "ForgotPassword",
        json!({"ClientId": hiding, "Username": "nobody@example.com"}),
    );
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    assert!(env.outbox.to("nobody@example.com").is_empty());
}

#[test]
fn five_wrong_passwords_lock_sign_in() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "c@example.com", "Password": PW}),
    );
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "c@example.com"}),
    );
    for _ in 0..4 {
        assert_eq!(
            env.login(&client, "c@example.com", "Wrong123!")
                .unwrap_err()
                .message(),
            "Incorrect username or password."
        );
    }
    assert_eq!(
        env.login(&client, "c@example.com", "Wrong123!")
            .unwrap_err()
            .message(),
        "Password attempts exceeded"
    );
    assert_eq!(
        env.login(&client, "c@example.com", PW)
            .unwrap_err()
            .message(),
        "Password attempts exceeded"
    );
    env.clock.advance(Duration::from_secs(2));
    assert!(env.login(&client, "c@example.com", PW).is_ok());
}

#[test]
fn refresh_revoke_and_global_sign_out() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "d@example.com", "Password": PW}),
    );
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "d@example.com"}),
    );
    let first = env.login(&client, "d@example.com", PW).unwrap()["AuthenticationResult"].clone();
    let refresh = first["RefreshToken"].as_str().unwrap();
    let again = env.ok("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client, "AuthParameters": {"REFRESH_TOKEN": refresh}}));
    assert!(again["AuthenticationResult"].get("RefreshToken").is_none());
    let access = again["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    let me = env.ok("GetUser", json!({"AccessToken": access}));
    assert!(me["UserAttributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "email", "Value": "d@example.com"})));

    env.ok("RevokeToken", json!({"Token": refresh, "ClientId": client}));
    let e = env.err("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client, "AuthParameters": {"REFRESH_TOKEN": refresh}}));
    assert_eq!(e.message(), "Refresh Token has been revoked");
    let e = env.err("GetUser", json!({"AccessToken": access}));
    assert_eq!(e.message(), "Access Token has been revoked");

    let second = env.login(&client, "d@example.com", PW).unwrap()["AuthenticationResult"].clone();
    let access = second["AccessToken"].as_str().unwrap();
    env.ok("GlobalSignOut", json!({"AccessToken": access}));
    assert_eq!(
        env.err("GetUser", json!({"AccessToken": access})).message(),
        "Access Token has been revoked"
    );

    let third = env.login(&client, "d@example.com", PW).unwrap()["AuthenticationResult"].clone();
    env.clock.advance(Duration::from_secs(3601));
    let e = env.err("GetUser", json!({"AccessToken": third["AccessToken"]}));
    assert_eq!(e.message(), "Access Token has expired");
    let e = env.err("GetUser", json!({"AccessToken": "not.a.token"}));
    assert_eq!(e.message(), "Invalid Access Token");
}

#[test]
fn admin_created_users_must_choose_a_password() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    let out = env.ok(
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": "e@example.com", "TemporaryPassword": "Temp1234!"}),
    );
    assert_eq!(out["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let invite = env.outbox.to("e@example.com").pop().unwrap();
    assert_eq!(invite.subject.as_deref(), Some("Your temporary password"));
    assert!(invite
        .body
        .text_part
        .unwrap()
        .contains("Your username is e@example.com and temporary password is Temp1234!."));

    let challenge = env.login(&client, "e@example.com", "Temp1234!").unwrap();
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let session = challenge["Session"].as_str().unwrap();
    let e = env.err("RespondToAuthChallenge", json!({"ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session, "ChallengeResponses": {"USERNAME": "e@example.com", "NEW_PASSWORD": "weak"}}));
    assert_eq!(e.code(), "InvalidPasswordException");
    let done = env.ok("RespondToAuthChallenge", json!({"ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session, "ChallengeResponses": {"USERNAME": "e@example.com", "NEW_PASSWORD": "Chosen123!"}}));
    assert!(done["AuthenticationResult"]["IdToken"].is_string());
    let user = env.ok(
        "AdminGetUser",
        json!({"UserPoolId": pool, "Username": "e@example.com"}),
    );
    assert_eq!(user["UserStatus"], "CONFIRMED");
    let e = env.err(
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": "e@example.com"}),
    );
    assert_eq!(
        (e.code(), e.message()),
        ("UsernameExistsException", "User account already exists")
    );
}

#[test]
fn clients_with_a_secret_need_the_secret_hash() {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let env = Env::new();
    let (_, client) = env.pool(json!({"GenerateSecret": true}));
    let pool_id = env.ok("ListUserPools", json!({"MaxResults": 1}))["UserPools"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = env.ok(
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client}),
    );
    let secret = described["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 51);
    let e = env.err(
        "SignUp",
        json!({"ClientId": client, "Username": "f@example.com", "Password": PW}),
    );
    assert_eq!(
        e.message(),
        format!("Client {client} is configured for secret but secret was not received")
    );
    let e = env.err("SignUp", json!({"ClientId": client, "Username": "f@example.com", "Password": PW, "SecretHash": "AAAA"}));
    assert_eq!(
        e.message(),
        format!("Unable to verify secret hash for client {client}")
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("f@example.com{client}").as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    env.ok("SignUp", json!({"ClientId": client, "Username": "f@example.com", "Password": PW, "SecretHash": hash}));
}

#[test]
fn list_users_filters() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    for u in ["ann@example.com", "andy@example.com", "zed@example.com"] {
        env.ok(
            "SignUp",
            json!({"ClientId": client, "Username": u, "Password": PW}),
        );
    }
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "zed@example.com"}),
    );
    // AWS gives no order: compare as sets.
    let emails = |filter: &str| -> Vec<String> {
        let mut found: Vec<String> = env
            .ok("ListUsers", json!({"UserPoolId": pool, "Filter": filter}))["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                u["Attributes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a["Name"] == "email")
                    .unwrap()["Value"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        emails(r#"email ^= "an""#),
        ["andy@example.com", "ann@example.com"]
    );
    assert_eq!(emails(r#"email = "zed@example.com""#), ["zed@example.com"]);
    assert_eq!(
        emails(r#"cognito:user_status = "CONFIRMED""#),
        ["zed@example.com"]
    );
    let e = env.err(
        "ListUsers",
        json!({"UserPoolId": pool, "Filter": "email ~ x"}),
    );
    assert_eq!(e.code(), "InvalidParameterException");
}

#[test]
fn forgot_password_resets_with_the_mailed_code() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "g@example.com", "Password": PW}),
    );
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "g@example.com"}),
    );
    let e = env.err(
        "ForgotPassword",
        json!({"ClientId": client, "Username": "g@example.com"}),
    );
    assert_eq!(e.message(), "Cannot reset password for the user as there is no registered/verified email or phone_number");
    env.ok("AdminUpdateUserAttributes", json!({"UserPoolId": pool, "Username": "g@example.com", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}));
    env.ok(
        "ForgotPassword",
        json!({"ClientId": client, "Username": "g@example.com"}),
    );
    let code = env.last_code("g@example.com");
    env.ok("ConfirmForgotPassword", json!({"ClientId": client, "Username": "g@example.com", "ConfirmationCode": code, "Password": "NewPass123!"}));
    assert!(env.login(&client, "g@example.com", "NewPass123!").is_ok());
    assert_eq!(
        env.login(&client, "g@example.com", PW).unwrap_err().code(),
        "NotAuthorizedException"
    );
}

#[test]
fn not_emulated_operations_say_so() {
    let env = Env::new();
    let e = env.err("AssociateSoftwareToken", json!({}));
    assert_eq!(e.code(), "UnknownOperationException");
    assert!(e.message().contains("AssociateSoftwareToken"));
    assert!(e.message().contains("not emulated"));
}
