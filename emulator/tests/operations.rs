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
        json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
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
    let e = env.err("CreateUserImportJob", json!({}));
    assert_eq!(e.code(), "UnknownOperationException");
    assert!(e.message().contains("CreateUserImportJob"));
    assert!(e.message().contains("not emulated"));
}

impl Env {
    /// A pool made with `pool` (merged over a name) and a USER_PASSWORD_AUTH client with
    /// `client_extra`.
    fn pool_with(&self, pool: Value, client_extra: Value) -> (String, String) {
        let mut input = json!({"PoolName": "p"});
        for (k, v) in pool.as_object().unwrap() {
            input[k] = v.clone();
        }
        let pool_id = self.ok("CreateUserPool", input)["UserPool"]["Id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut input = json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]});
        for (k, v) in client_extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        let client = self.ok("CreateUserPoolClient", input)["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        (pool_id, client)
    }

    /// Signs `user` up (with `attributes`) and confirms with the mailed code, so the
    /// address is verified; returns the tokens of a first sign-in.
    fn signed_in(&self, client: &str, user: &str, attributes: Value) -> Value {
        let email = attributes
            .as_array()
            .and_then(|a| a.iter().find(|a| a["Name"] == "email"))
            .map(|a| a["Value"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| user.to_owned());
        self.ok(
            "SignUp",
            json!({"ClientId": client, "Username": user, "Password": PW, "UserAttributes": attributes}),
        );
        let code = self.last_code(&email);
        self.ok(
            "ConfirmSignUp",
            json!({"ClientId": client, "Username": user, "ConfirmationCode": code}),
        );
        self.login(client, user, PW).unwrap()["AuthenticationResult"].clone()
    }

    fn attributes(&self, pool: &str, user: &str) -> Value {
        let out = self.ok(
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": user}),
        );
        let mut map = serde_json::Map::new();
        for a in out["UserAttributes"].as_array().unwrap() {
            map.insert(a["Name"].as_str().unwrap().to_owned(), a["Value"].clone());
        }
        Value::Object(map)
    }
}

/// The claims of a JWT (its signature is checked elsewhere).
fn claims(token: &Value) -> Value {
    use base64::Engine;
    let payload = token.as_str().unwrap().split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn expect(e: CognitoError, code: &str, message: &str) {
    assert_eq!((e.code(), e.message()), (code, message));
}

#[test]
fn groups_are_created_described_updated_and_deleted() {
    let env = Env::new();
    let (pool, _) = env.pool(json!({}));
    let created = env.ok("CreateGroup", json!({"UserPoolId": pool, "GroupName": "admins", "Description": "the admins", "Precedence": 1, "RoleArn": "arn:aws:iam::123456789012:role/Admin"}));
    let g = &created["Group"];
    assert_eq!(g["GroupName"], "admins");
    assert_eq!(g["UserPoolId"], pool.as_str());
    assert_eq!(g["Precedence"], 1);
    assert!(g["CreationDate"].is_f64() && g["LastModifiedDate"] == g["CreationDate"]);
    expect(
        env.err(
            "CreateGroup",
            json!({"UserPoolId": pool, "GroupName": "admins"}),
        ),
        "GroupExistsException",
        "A group with the name already exists.",
    );
    expect(
        env.err(
            "GetGroup",
            json!({"UserPoolId": pool, "GroupName": "nobody"}),
        ),
        "ResourceNotFoundException",
        "Group not found.",
    );

    // An update changes what it names and keeps the rest.
    env.clock.advance(Duration::from_secs(5));
    let updated = env.ok(
        "UpdateGroup",
        json!({"UserPoolId": pool, "GroupName": "admins", "Precedence": 7}),
    )["Group"]
        .clone();
    assert_eq!(updated["Precedence"], 7);
    assert_eq!(updated["Description"], "the admins");
    assert_eq!(updated["RoleArn"], "arn:aws:iam::123456789012:role/Admin");
    assert!(updated["LastModifiedDate"].as_f64() > updated["CreationDate"].as_f64());
    assert_eq!(
        env.ok(
            "GetGroup",
            json!({"UserPoolId": pool, "GroupName": "admins"})
        )["Group"],
        updated
    );
    expect(
        env.err(
            "UpdateGroup",
            json!({"UserPoolId": pool, "GroupName": "nobody"}),
        ),
        "ResourceNotFoundException",
        "Group not found.",
    );

    for name in ["b", "c", "d", "e"] {
        env.ok(
            "CreateGroup",
            json!({"UserPoolId": pool, "GroupName": name}),
        );
    }
    let first = env.ok("ListGroups", json!({"UserPoolId": pool, "Limit": 3}));
    let names = |page: &Value| -> Vec<String> {
        page["Groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["GroupName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&first), ["admins", "b", "c"]);
    let second = env.ok(
        "ListGroups",
        json!({"UserPoolId": pool, "Limit": 3, "NextToken": first["NextToken"]}),
    );
    assert_eq!(names(&second), ["d", "e"]);
    assert!(second.get("NextToken").is_none());

    env.ok(
        "DeleteGroup",
        json!({"UserPoolId": pool, "GroupName": "admins"}),
    );
    expect(
        env.err(
            "DeleteGroup",
            json!({"UserPoolId": pool, "GroupName": "admins"}),
        ),
        "ResourceNotFoundException",
        "Group not found.",
    );
    expect(
        env.err(
            "ListGroups",
            json!({"UserPoolId": "eu-west-1_nosuchpoo", "Limit": 3}),
        ),
        "ResourceNotFoundException",
        "User pool eu-west-1_nosuchpoo does not exist.",
    );
}

#[test]
fn memberships_are_listed_both_ways_and_end_with_the_group_or_the_user() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    for g in ["a", "b", "c"] {
        env.ok("CreateGroup", json!({"UserPoolId": pool, "GroupName": g}));
    }
    for u in ["u1@example.com", "u2@example.com", "u3@example.com"] {
        env.ok(
            "SignUp",
            json!({"ClientId": client, "Username": u, "Password": PW}),
        );
        env.ok(
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": u, "GroupName": "a"}),
        );
    }
    env.ok(
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool, "Username": "u1@example.com", "GroupName": "b"}),
    );
    // Adding twice is no error and no second membership.
    env.ok(
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool, "Username": "u1@example.com", "GroupName": "b"}),
    );
    expect(
        env.err(
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": "nobody@example.com", "GroupName": "a"}),
        ),
        "UserNotFoundException",
        "User does not exist.",
    );
    expect(
        env.err(
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": "u1@example.com", "GroupName": "zz"}),
        ),
        "ResourceNotFoundException",
        "Group not found.",
    );

    let groups = env.ok(
        "AdminListGroupsForUser",
        json!({"UserPoolId": pool, "Username": "u1@example.com", "Limit": 1}),
    );
    assert_eq!(groups["Groups"][0]["GroupName"], "a");
    let rest = env.ok(
        "AdminListGroupsForUser",
        json!({"UserPoolId": pool, "Username": "u1@example.com", "NextToken": groups["NextToken"]}),
    );
    assert_eq!(rest["Groups"].as_array().unwrap().len(), 1);
    assert_eq!(rest["Groups"][0]["GroupName"], "b");

    let emails = |page: &Value| -> Vec<String> {
        page["Users"]
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
            .collect()
    };
    let first = env.ok(
        "ListUsersInGroup",
        json!({"UserPoolId": pool, "GroupName": "a", "Limit": 2}),
    );
    let second = env.ok(
        "ListUsersInGroup",
        json!({"UserPoolId": pool, "GroupName": "a", "Limit": 2, "NextToken": first["NextToken"]}),
    );
    assert!(second.get("NextToken").is_none());
    let mut all = emails(&first);
    all.extend(emails(&second));
    all.sort();
    assert_eq!(all, ["u1@example.com", "u2@example.com", "u3@example.com"]);
    expect(
        env.err(
            "ListUsersInGroup",
            json!({"UserPoolId": pool, "GroupName": "zz"}),
        ),
        "ResourceNotFoundException",
        "Group not found.",
    );

    env.ok(
        "AdminRemoveUserFromGroup",
        json!({"UserPoolId": pool, "Username": "u2@example.com", "GroupName": "a"}),
    );
    env.ok(
        "AdminDeleteUser",
        json!({"UserPoolId": pool, "Username": "u3@example.com"}),
    );
    let left = env.ok(
        "ListUsersInGroup",
        json!({"UserPoolId": pool, "GroupName": "a"}),
    );
    assert_eq!(emails(&left), ["u1@example.com"]);
    // A user signing up again with a deleted user's address is not in the old groups.
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "u3@example.com", "Password": PW}),
    );
    let groups = env.ok(
        "AdminListGroupsForUser",
        json!({"UserPoolId": pool, "Username": "u3@example.com"}),
    );
    assert_eq!(groups["Groups"], json!([]));

    env.ok("DeleteGroup", json!({"UserPoolId": pool, "GroupName": "a"}));
    let groups = env.ok(
        "AdminListGroupsForUser",
        json!({"UserPoolId": pool, "Username": "u1@example.com"}),
    );
    assert_eq!(groups["Groups"].as_array().unwrap().len(), 1);
    assert_eq!(groups["Groups"][0]["GroupName"], "b");
}

#[test]
fn tokens_carry_groups_roles_and_the_preferred_role() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    let user = "grace@example.com";
    let tokens = env.signed_in(&client, user, json!([]));
    let (id, access) = (claims(&tokens["IdToken"]), claims(&tokens["AccessToken"]));
    for claim in ["cognito:groups", "cognito:roles", "cognito:preferred_role"] {
        assert!(id.get(claim).is_none(), "no groups, no {claim}");
        assert!(access.get(claim).is_none());
    }

    let role = |n: &str| format!("arn:aws:iam::123456789012:role/{n}");
    for (name, precedence, arn) in [
        ("zeta", None, None),
        ("viewers", Some(10), Some(role("Viewer"))),
        ("editors", Some(5), Some(role("Editor"))),
        ("alpha", None, Some(role("Alpha"))),
        ("staff", Some(5), None),
    ] {
        let mut input = json!({"UserPoolId": pool, "GroupName": name});
        if let Some(p) = precedence {
            input["Precedence"] = json!(p);
        }
        if let Some(a) = &arn {
            input["RoleArn"] = json!(a);
        }
        env.ok("CreateGroup", input);
        env.ok(
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": user, "GroupName": name}),
        );
    }
    let tokens = env.login(&client, user, PW).unwrap()["AuthenticationResult"].clone();
    let (id, access) = (claims(&tokens["IdToken"]), claims(&tokens["AccessToken"]));
    let order = json!(["editors", "staff", "viewers", "alpha", "zeta"]);
    assert_eq!(id["cognito:groups"], order);
    assert_eq!(access["cognito:groups"], order);
    assert_eq!(
        id["cognito:roles"],
        json!([role("Editor"), role("Viewer"), role("Alpha")])
    );
    assert_eq!(id["cognito:preferred_role"], role("Editor"));
    assert!(access.get("cognito:roles").is_none());
    assert!(access.get("cognito:preferred_role").is_none());

    // A second group at the top precedence with another role: no preferred role.
    env.ok("CreateGroup", json!({"UserPoolId": pool, "GroupName": "owners", "Precedence": 5, "RoleArn": role("Owner")}));
    env.ok(
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool, "Username": user, "GroupName": "owners"}),
    );
    // A refresh reads the groups as they are now.
    let refreshed = env.ok("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client, "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}}))["AuthenticationResult"].clone();
    let id = claims(&refreshed["IdToken"]);
    assert_eq!(
        id["cognito:groups"],
        json!(["editors", "owners", "staff", "viewers", "alpha", "zeta"])
    );
    assert!(id.get("cognito:preferred_role").is_none());

    for g in ["zeta", "viewers", "editors", "alpha", "staff", "owners"] {
        env.ok("DeleteGroup", json!({"UserPoolId": pool, "GroupName": g}));
    }
    let tokens = env.login(&client, user, PW).unwrap()["AuthenticationResult"].clone();
    assert!(claims(&tokens["AccessToken"])
        .get("cognito:groups")
        .is_none());
}

#[test]
fn a_changed_email_is_unverified_until_the_mailed_code_proves_it() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    let tokens = env.signed_in(&client, "hal@example.com", json!([]));
    let access = tokens["AccessToken"].clone();
    let out = env.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "hal@new.example.org"}, {"Name": "name", "Value": "Hal"}]}),
    );
    assert_eq!(
        out["CodeDeliveryDetailsList"],
        json!([{"Destination": "h***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    );
    let attributes = env.attributes(&pool, "hal@new.example.org");
    assert_eq!(attributes["email"], "hal@new.example.org");
    assert_eq!(attributes["email_verified"], "false");
    assert_eq!(attributes["name"], "Hal");

    let code = env.last_code("hal@new.example.org");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    expect(
        env.err(
            "VerifyUserAttribute",
            json!({"AccessToken": access, "AttributeName": "email", "Code": wrong}),
        ),
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    );
    // A new code supersedes the first.
    let again = env.ok(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": "email"}),
    );
    assert_eq!(again["CodeDeliveryDetails"]["Destination"], "h***@n***");
    let fresh = env.last_code("hal@new.example.org");
    if fresh != code {
        expect(
            env.err(
                "VerifyUserAttribute",
                json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
            ),
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        );
    }
    env.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": fresh}),
    );
    assert_eq!(
        env.attributes(&pool, "hal@new.example.org")["email_verified"],
        "true"
    );
    expect(
        env.err(
            "VerifyUserAttribute",
            json!({"AccessToken": access, "AttributeName": "name", "Code": fresh}),
        ),
        "InvalidParameterException",
        "Invalid attribute name. Only phone_number and email can be verified.",
    );
    expect(
        env.err(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": access, "AttributeName": "phone_number"}),
        ),
        "InvalidParameterException",
        "User does not have a valid registered phone number",
    );
    expect(
        env.err(
            "VerifyUserAttribute",
            json!({"AccessToken": access, "AttributeName": "phone_number", "Code": fresh}),
        ),
        "InvalidParameterException",
        "Unable to verify attribute: phone_number no value set to verify",
    );
    // The id token of the next sign-in has the new address.
    let tokens =
        env.login(&client, "hal@new.example.org", PW).unwrap()["AuthenticationResult"].clone();
    let id = claims(&tokens["IdToken"]);
    assert_eq!(id["email"], "hal@new.example.org");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["name"], "Hal");
}

#[test]
fn a_pool_that_verifies_before_update_keeps_the_old_address_until_then() {
    let env = Env::new();
    let (pool, client) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}}),
        json!({}),
    );
    let tokens = env.signed_in(&client, "ivy@example.com", json!([]));
    let access = tokens["AccessToken"].clone();
    let out = env.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "ivy@new.example.com"}]}),
    );
    assert_eq!(
        out["CodeDeliveryDetailsList"][0]["Destination"],
        "i***@n***"
    );
    // The old address still signs in, verified; the new one does not yet.
    let attributes = env.attributes(&pool, "ivy@example.com");
    assert_eq!(attributes["email"], "ivy@example.com");
    assert_eq!(attributes["email_verified"], "true");
    assert!(env.login(&client, "ivy@example.com", PW).is_ok());
    assert_eq!(
        env.login(&client, "ivy@new.example.com", PW)
            .unwrap_err()
            .code(),
        "UserNotFoundException"
    );
    let code = env.last_code("ivy@new.example.com");
    env.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    );
    let attributes = env.attributes(&pool, "ivy@new.example.com");
    assert_eq!(attributes["email"], "ivy@new.example.com");
    assert_eq!(attributes["email_verified"], "true");
    assert!(env.login(&client, "ivy@example.com", PW).is_err());

    // An administrator proves a waiting address by setting email_verified.
    env.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "ivy@third.example.com"}]}),
    );
    assert_eq!(
        env.attributes(&pool, "ivy@new.example.com")["email"],
        "ivy@new.example.com"
    );
    env.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": pool, "Username": "ivy@new.example.com", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    let attributes = env.attributes(&pool, "ivy@third.example.com");
    assert_eq!(attributes["email"], "ivy@third.example.com");
    assert_eq!(attributes["email_verified"], "true");
}

#[test]
fn what_a_user_may_change_is_bounded_by_the_schema_and_the_client() {
    let env = Env::new();
    let (pool, client) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "Schema": [
            {"Name": "tier", "AttributeDataType": "String", "Mutable": false},
            {"Name": "team", "AttributeDataType": "String"},
            {"Name": "name", "AttributeDataType": "String", "Required": true}
        ]}),
        json!({}),
    );
    let tokens = env.signed_in(
        &client,
        "jo@example.com",
        json!([{"Name": "custom:tier", "Value": "gold"}, {"Name": "name", "Value": "Jo"}]),
    );
    let access = tokens["AccessToken"].clone();
    let update = |attributes: Value| {
        env.call(
            "UpdateUserAttributes",
            json!({"AccessToken": access, "UserAttributes": attributes}),
        )
    };
    expect(
        update(json!([{"Name": "custom:tier", "Value": "silver"}])).unwrap_err(),
        "InvalidParameterException",
        "user.custom:tier: Attribute cannot be updated.\n",
    );
    expect(
        update(json!([{"Name": "custom:nope", "Value": "x"}, {"Name": "shoe", "Value": "x"}]))
            .unwrap_err(),
        "InvalidParameterException",
        "user.custom:nope: Attribute does not exist in the schema.\nuser.shoe: Attribute does not exist in the schema.\n",
    );
    expect(
        update(json!([{"Name": "email_verified", "Value": "true"}])).unwrap_err(),
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    expect(
        update(json!([{"Name": "name"}])).unwrap_err(),
        "InvalidParameterException",
        "Attribute value for name must not be null",
    );
    expect(
        update(json!([{"Name": "name", "Value": ""}])).unwrap_err(),
        "InvalidParameterException",
        "Invalid user attributes: name: Required attribute cannot be deleted.",
    );
    expect(
        update(json!([{"Name": "phone_number", "Value": "2065551234"}])).unwrap_err(),
        "InvalidParameterException",
        "Invalid phone number format.",
    );
    // Mutable custom attributes change; an empty value deletes.
    update(json!([{"Name": "custom:team", "Value": "blue"}, {"Name": "locale", "Value": "fr"}]))
        .unwrap();
    update(json!([{"Name": "locale", "Value": ""}])).unwrap();
    let attributes = env.attributes(&pool, "jo@example.com");
    assert_eq!(attributes["custom:team"], "blue");
    assert!(attributes.get("locale").is_none());
    // No code goes out when the address does not change.
    let before = env.outbox.to("jo@example.com").len();
    let out = update(json!([{"Name": "email", "Value": "jo@example.com"}])).unwrap();
    assert!(out.get("CodeDeliveryDetailsList").is_none());
    assert_eq!(env.outbox.to("jo@example.com").len(), before);

    // A client naming its WriteAttributes allows those only.
    let narrow = env.ok("CreateUserPoolClient", json!({"UserPoolId": pool, "ClientName": "narrow", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"], "WriteAttributes": ["name"]}))["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    let access = env.login(&narrow, "jo@example.com", PW).unwrap()["AuthenticationResult"]
        ["AccessToken"]
        .clone();
    env.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "name", "Value": "Joanna"}]}),
    );
    expect(
        env.err(
            "UpdateUserAttributes",
            json!({"AccessToken": access, "UserAttributes": [{"Name": "custom:team", "Value": "red"}]}),
        ),
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    expect(
        env.err(
            "DeleteUserAttributes",
            json!({"AccessToken": access, "UserAttributeNames": ["custom:team"]}),
        ),
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    // An administrator is held to the schema, not to a client.
    expect(
        env.err(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": pool, "Username": "jo@example.com", "UserAttributes": [{"Name": "custom:tier", "Value": "x"}]}),
        ),
        "InvalidParameterException",
        "user.custom:tier: Attribute cannot be updated.\n",
    );
}

#[test]
fn attributes_are_deleted_unless_required_or_immutable() {
    let env = Env::new();
    let (pool, client) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "Schema": [
            {"Name": "given_name", "AttributeDataType": "String", "Required": true},
            {"Name": "badge", "AttributeDataType": "String", "Mutable": false}
        ]}),
        json!({}),
    );
    let tokens = env.signed_in(
        &client,
        "kay@example.com",
        json!([{"Name": "given_name", "Value": "Kay"}, {"Name": "nickname", "Value": "K"}, {"Name": "custom:badge", "Value": "7"}, {"Name": "phone_number", "Value": "+12065550100"}]),
    );
    env.ok(
        "DeleteUserAttributes",
        json!({"AccessToken": tokens["AccessToken"], "UserAttributeNames": ["nickname"]}),
    );
    expect(
        env.err(
            "DeleteUserAttributes",
            json!({"AccessToken": tokens["AccessToken"], "UserAttributeNames": ["custom:badge"]}),
        ),
        "InvalidParameterException",
        "user.custom:badge: Attribute cannot be updated.\n",
    );
    expect(
        env.err(
            "AdminDeleteUserAttributes",
            json!({"UserPoolId": pool, "Username": "kay@example.com", "UserAttributeNames": ["given_name"]}),
        ),
        "InvalidParameterException",
        "Invalid user attributes: given_name: Required attribute cannot be deleted.",
    );
    expect(
        env.err(
            "AdminDeleteUserAttributes",
            json!({"UserPoolId": pool, "Username": "nobody@example.com", "UserAttributeNames": ["nickname"]}),
        ),
        "UserNotFoundException",
        "User does not exist.",
    );
    env.ok(
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": pool, "Username": "kay@example.com", "UserAttributeNames": ["phone_number"]}),
    );
    let attributes = env.attributes(&pool, "kay@example.com");
    assert!(attributes.get("nickname").is_none());
    assert!(attributes.get("phone_number").is_none());
    assert_eq!(attributes["given_name"], "Kay");
}

#[test]
fn an_administrator_changing_the_address_sends_a_code_unless_it_marks_it_verified() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.signed_in(&client, "lee@example.com", json!([]));
    env.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": pool, "Username": "lee@example.com", "UserAttributes": [{"Name": "email", "Value": "lee@two.example.com"}]}),
    );
    assert_eq!(env.outbox.to("lee@two.example.com").len(), 1);
    assert_eq!(
        env.attributes(&pool, "lee@two.example.com")["email_verified"],
        "false"
    );
    env.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": pool, "Username": "lee@two.example.com", "UserAttributes": [{"Name": "email", "Value": "lee@three.example.com"}, {"Name": "email_verified", "Value": "true"}]}),
    );
    assert!(env.outbox.to("lee@three.example.com").is_empty());
    assert_eq!(
        env.attributes(&pool, "lee@three.example.com")["email_verified"],
        "true"
    );
}

#[test]
fn an_address_another_user_signs_in_with_cannot_be_taken() {
    let env = Env::new();
    // E-mail as the username: any other holder counts.
    let (pool, client) = env.pool(json!({}));
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "max@example.com", "Password": PW}),
    );
    let tokens = env.signed_in(&client, "mia@example.com", json!([]));
    expect(
        env.err(
            "UpdateUserAttributes",
            json!({"AccessToken": tokens["AccessToken"], "UserAttributes": [{"Name": "email", "Value": "MAX@example.com"}]}),
        ),
        "AliasExistsException",
        "An account with the given email already exists.",
    );
    expect(
        env.err(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": pool, "Username": "mia@example.com", "UserAttributes": [{"Name": "email", "Value": "max@example.com"}]}),
        ),
        "AliasExistsException",
        "An account with the given email already exists.",
    );

    // E-mail as an alias: only a verified holder counts.
    let (pool, client) = env.pool_with(
        json!({"AliasAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}),
        json!({}),
    );
    env.signed_in(
        &client,
        "ned",
        json!([{"Name": "email", "Value": "ned@example.com"}]),
    );
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "ola", "Password": PW, "UserAttributes": [{"Name": "email", "Value": "ola@example.com"}]}),
    );
    let tokens = env.signed_in(
        &client,
        "pat",
        json!([{"Name": "email", "Value": "pat@example.com"}]),
    );
    expect(
        env.err(
            "UpdateUserAttributes",
            json!({"AccessToken": tokens["AccessToken"], "UserAttributes": [{"Name": "email", "Value": "ned@example.com"}]}),
        ),
        "AliasExistsException",
        "An account with the given email already exists.",
    );
    // Ola never verified hers: Pat may use it.
    env.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": tokens["AccessToken"], "UserAttributes": [{"Name": "email", "Value": "ola@example.com"}]}),
    );
    assert_eq!(env.attributes(&pool, "pat")["email"], "ola@example.com");
}

#[test]
fn the_id_token_carries_only_what_the_client_may_read() {
    let env = Env::new();
    let (pool, _) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "Schema": [{"Name": "plan", "AttributeDataType": "String"}]}),
        json!({}),
    );
    let reader = |read: Value| {
        env.ok("CreateUserPoolClient", json!({"UserPoolId": pool, "ClientName": "r", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"], "ReadAttributes": read}))["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned()
    };
    let all = reader(Value::Null);
    let some = reader(json!(["email", "custom:plan"]));
    env.signed_in(
        &all,
        "quinn@example.com",
        json!([{"Name": "custom:plan", "Value": "pro"}, {"Name": "name", "Value": "Quinn"}]),
    );
    let id = |client: &str| {
        claims(
            &env.login(client, "quinn@example.com", PW).unwrap()["AuthenticationResult"]["IdToken"],
        )
    };
    let full = id(&all);
    assert_eq!(full["custom:plan"], "pro");
    assert_eq!(full["name"], "Quinn");
    assert_eq!(full["email_verified"], true);
    let narrow = id(&some);
    assert_eq!(narrow["custom:plan"], "pro");
    assert_eq!(narrow["email"], "quinn@example.com");
    assert!(narrow.get("name").is_none());
    assert!(narrow.get("email_verified").is_none());
    for claim in ["sub", "cognito:username", "aud", "token_use", "iss"] {
        assert!(narrow.get(claim).is_some(), "{claim} always");
    }
}

#[test]
fn custom_attributes_are_added_once_and_up_to_fifty() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.ok("AddCustomAttributes", json!({"UserPoolId": pool, "CustomAttributes": [{"Name": "tier", "AttributeDataType": "String", "Mutable": true}, {"Name": "score", "AttributeDataType": "Number"}]}));
    let schema = env.ok("DescribeUserPool", json!({"UserPoolId": pool}))["UserPool"]
        ["SchemaAttributes"]
        .clone();
    let tier = schema
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "custom:tier")
        .unwrap();
    assert_eq!(tier["AttributeDataType"], "String");
    assert_eq!(tier["Mutable"], true);
    expect(
        env.err(
            "AddCustomAttributes",
            json!({"UserPoolId": pool, "CustomAttributes": [{"Name": "tier", "AttributeDataType": "String"}]}),
        ),
        "InvalidParameterException",
        "custom:tier: Existing attribute already has name custom:tier.",
    );
    expect(
        env.err(
            "AddCustomAttributes",
            json!({"UserPoolId": pool, "CustomAttributes": [{"Name": "x", "AttributeDataType": "String", "Required": true}]}),
        ),
        "InvalidParameterException",
        "Required custom attributes are not supported currently.",
    );
    // The new attribute is usable at once.
    let tokens = env.signed_in(
        &client,
        "rae@example.com",
        json!([{"Name": "custom:tier", "Value": "gold"}]),
    );
    assert_eq!(claims(&tokens["IdToken"])["custom:tier"], "gold");

    for batch in 0..2 {
        let attrs: Vec<Value> = (0..24)
            .map(|n| json!({"Name": format!("a{batch}_{n}"), "AttributeDataType": "String"}))
            .collect();
        env.ok(
            "AddCustomAttributes",
            json!({"UserPoolId": pool, "CustomAttributes": attrs}),
        );
    }
    // 2 + 48 = 50: one more is too many, and a refused batch adds nothing.
    let e = env.err(
        "AddCustomAttributes",
        json!({"UserPoolId": pool, "CustomAttributes": [{"Name": "last", "AttributeDataType": "String"}]}),
    );
    assert_eq!(e.code(), "InvalidParameterException");
    let count = env.ok("DescribeUserPool", json!({"UserPoolId": pool}))["UserPool"]
        ["SchemaAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["Name"].as_str().unwrap().starts_with("custom:"))
        .count();
    assert_eq!(count, 50);
}

#[test]
fn an_administrators_reset_requires_a_new_password_set_with_the_mailed_code() {
    let env = Env::new();
    let (pool, client) = env.pool(json!({}));
    env.signed_in(&client, "sam@example.com", json!([]));
    env.ok(
        "AdminResetUserPassword",
        json!({"UserPoolId": pool, "Username": "sam@example.com"}),
    );
    let user = env.ok(
        "AdminGetUser",
        json!({"UserPoolId": pool, "Username": "sam@example.com"}),
    );
    assert_eq!(user["UserStatus"], "RESET_REQUIRED");
    expect(
        env.login(&client, "sam@example.com", PW).unwrap_err(),
        "PasswordResetRequiredException",
        "Password reset required for the user",
    );
    let code = env.last_code("sam@example.com");
    env.ok("ConfirmForgotPassword", json!({"ClientId": client, "Username": "sam@example.com", "ConfirmationCode": code, "Password": "Renewed123!"}));
    assert!(env.login(&client, "sam@example.com", "Renewed123!").is_ok());
    expect(
        env.err(
            "AdminResetUserPassword",
            json!({"UserPoolId": pool, "Username": "nobody@example.com"}),
        ),
        "UserNotFoundException",
        "User does not exist.",
    );
    // Without a verified address the status changes and no mail goes out.
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "tom@example.com", "Password": PW}),
    );
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "tom@example.com"}),
    );
    let mails = env.outbox.to("tom@example.com").len();
    env.ok(
        "AdminResetUserPassword",
        json!({"UserPoolId": pool, "Username": "tom@example.com"}),
    );
    assert_eq!(env.outbox.to("tom@example.com").len(), mails);
}

#[test]
fn a_phone_number_can_be_the_username() {
    let env = Env::new();
    let (pool, client) = env.pool_with(
        json!({"UsernameAttributes": ["email", "phone_number"]}),
        json!({}),
    );
    let out = env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "+12065551234", "Password": PW}),
    );
    let sub = out["UserSub"].as_str().unwrap();
    let user = env.ok(
        "AdminGetUser",
        json!({"UserPoolId": pool, "Username": "+12065551234"}),
    );
    assert_eq!(user["Username"], sub);
    assert!(user["UserAttributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "phone_number", "Value": "+12065551234"})));
    expect(
        env.err(
            "SignUp",
            json!({"ClientId": client, "Username": "+12065551234", "Password": PW}),
        ),
        "UsernameExistsException",
        "An account with the given phone_number already exists.",
    );
    expect(
        env.err(
            "SignUp",
            json!({"ClientId": client, "Username": "bob", "Password": PW}),
        ),
        "InvalidParameterException",
        "Username should be either an email or a phone number.",
    );
    // An e-mail address still works in the same pool.
    env.ok(
        "SignUp",
        json!({"ClientId": client, "Username": "uma@example.com", "Password": PW}),
    );
    env.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "+12065551234"}),
    );
    assert!(env.login(&client, "+12065551234", PW).is_ok());

    let created = env.ok(
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": "+447700900123", "MessageAction": "SUPPRESS"}),
    );
    assert!(created["User"]["Attributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "phone_number", "Value": "+447700900123"})));

    let (_, phone_only) = env.pool_with(json!({"UsernameAttributes": ["phone_number"]}), json!({}));
    expect(
        env.err(
            "SignUp",
            json!({"ClientId": phone_only, "Username": "vic@example.com", "Password": PW}),
        ),
        "InvalidParameterException",
        "Username should be a phone number.",
    );
}

#[test]
fn forgot_password_is_refused_where_only_an_administrator_resets() {
    let env = Env::new();
    let (_, client) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}}),
        json!({}),
    );
    env.signed_in(&client, "wes@example.com", json!([]));
    expect(
        env.err(
            "ForgotPassword",
            json!({"ClientId": client, "Username": "wes@example.com"}),
        ),
        "NotAuthorizedException",
        "Contact administrator to reset password.",
    );
    let (_, client) = env.pool_with(
        json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"], "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}}),
        json!({}),
    );
    env.signed_in(&client, "xia@example.com", json!([]));
    env.ok(
        "ForgotPassword",
        json!({"ClientId": client, "Username": "xia@example.com"}),
    );
}
