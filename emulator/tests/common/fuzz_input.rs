//! Generated and mutated inputs for the fuzz test (`tests/fuzz.rs`, a short seeded
//! run in `cargo test`) and the long fuzz bench (`benches/fuzz.rs`, a million requests):
//! both throw the same kinds of requests at the emulator.
#![allow(dead_code)] // each user takes its own subset

use cognito_emulator::cognito::EMULATED;
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::{json, Value};

/// Every emulated operation (so the list cannot fall behind the emulator), and one that
/// does not exist.
pub fn operations() -> Vec<&'static str> {
    let mut ops = EMULATED.to_vec();
    ops.push("NoSuchOperation");
    ops
}

/// The flows a mutated `InitiateAuth` starts.
pub const FLOWS: &[&str] = &[
    "USER_PASSWORD_AUTH",
    "USER_SRP_AUTH",
    "USER_AUTH",
    "REFRESH_TOKEN_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH",
];

/// The challenges a mutated answer names.
pub const CHALLENGES: &[&str] = &[
    "NEW_PASSWORD_REQUIRED",
    "PASSWORD_VERIFIER",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "SELECT_CHALLENGE",
    "CUSTOM_CHALLENGE",
];

pub const SES_ACTIONS: &[&str] = &[
    "VerifyEmailIdentity",
    "GetIdentityVerificationAttributes",
    "ListIdentities",
    "DeleteIdentity",
    "SendEmail",
    "SendRawEmail",
    "Bogus",
    "",
];

/// Plausible members, so mutations reach past the first "missing member" check.
pub fn seed_input(rng: &mut StdRng, pool: &str, client: &str) -> Value {
    let flow = FLOWS[rng.gen_range(0..FLOWS.len())];
    let challenge = CHALLENGES[rng.gen_range(0..CHALLENGES.len())];
    json!({
        "PoolName": "p", "UserPoolId": pool, "ClientId": client, "ClientName": "c",
        "Username": "u@example.com", "Password": "Aa123456!", "ConfirmationCode": "123456",
        "AuthFlow": flow, "AuthParameters": {"USERNAME": "u@example.com", "PASSWORD": "Aa123456!", "SRP_A": "2b", "PREFERRED_CHALLENGE": "EMAIL_OTP", "REFRESH_TOKEN": "a.b.c.d.e"},
        "MaxResults": 10, "AccessToken": "a.b.c", "Token": "a.b.c.d.e", "ChallengeName": challenge,
        "Session": "s", "ChallengeResponses": {"USERNAME": "u@example.com", "NEW_PASSWORD": "Bb123456!",
            "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA", "PASSWORD_CLAIM_SIGNATURE": "AAAA", "TIMESTAMP": "Thu Nov 26 19:04:43 UTC 2026",
            "SOFTWARE_TOKEN_MFA_CODE": "123456", "EMAIL_OTP_CODE": "12345678", "ANSWER": "PASSWORD"},
        "UserAttributes": [{"Name": "email", "Value": "u@example.com"}], "Filter": "email ^= \"u\"",
        "PreviousPassword": "Aa123456!", "ProposedPassword": "Bb123456!",
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"], "UsernameAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"], "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
        "GroupName": "g", "Precedence": 1, "RoleArn": "arn:aws:iam::123456789012:role/r", "Limit": 10,
        "AttributeName": "email", "Code": "123456", "UserAttributeNames": ["name"],
        "CustomAttributes": [{"Name": "c", "AttributeDataType": "String"}],
        "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": true},
        "EmailMfaConfiguration": {"Message": "code {####}", "Subject": "s"}, "UserCode": "123456",
        "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
        "EmailMfaSettings": {"Enabled": true}, "RefreshToken": "a.b.c.d.e", "ClientSecret": "x",
    })
}

pub fn random_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..9) {
        0 => Value::Null,
        1 => json!(rng.gen::<bool>()),
        2 => json!(rng.gen::<i64>()),
        3 => json!(rng.gen::<f64>() * 1e300),
        4 => json!(""),
        5 => json!("\u{0}\u{202e}é😀{####}<x>&\"'".repeat(rng.gen_range(1..50))),
        6 if depth < 3 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        7 if depth < 3 => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.gen_range(0..4) {
                m.insert(
                    format!("K{}", rng.gen::<u8>()),
                    random_value(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
        _ => json!("x".repeat(rng.gen_range(0..300))),
    }
}

pub fn mutate(rng: &mut StdRng, mut input: Value) -> Vec<u8> {
    let keys: Vec<String> = input.as_object().unwrap().keys().cloned().collect();
    for _ in 0..rng.gen_range(0..6) {
        let key = &keys[rng.gen_range(0..keys.len())];
        if rng.gen_bool(0.4) {
            input.as_object_mut().unwrap().remove(key);
        } else {
            input[key] = random_value(rng, 0);
        }
    }
    let mut bytes = input.to_string().into_bytes();
    match rng.gen_range(0..10) {
        0 => bytes.truncate(rng.gen_range(0..=bytes.len())),
        1 => {
            for _ in 0..rng.gen_range(1..8) {
                let i = rng.gen_range(0..bytes.len().max(1));
                if i < bytes.len() {
                    bytes[i] = rng.gen();
                }
            }
        }
        2 => bytes = (0..rng.gen_range(0..200)).map(|_| rng.gen()).collect(),
        _ => {}
    }
    bytes
}

pub fn ses_body(rng: &mut StdRng) -> Vec<u8> {
    let action = SES_ACTIONS[rng.gen_range(0..SES_ACTIONS.len())];
    let mut pairs = vec![
        ("Action".to_owned(), action.to_owned()),
        ("Version".to_owned(), "2010-12-01".to_owned()),
    ];
    for (k, v) in [
        ("EmailAddress", "s@example.com"),
        ("Identities.member.1", "s@example.com"),
        ("Identity", "s@example.com"),
        ("Source", "s@example.com"),
        ("Destination.ToAddresses.member.1", "t@example.com"),
        ("Message.Subject.Data", "hi"),
        ("Message.Body.Text.Data", "body"),
        ("RawMessage.Data", "RnJvbTogcw0KDQpi"),
    ] {
        if rng.gen_bool(0.7) {
            let value = if rng.gen_bool(0.2) {
                random_value(rng, 2).to_string()
            } else {
                v.to_owned()
            };
            pairs.push((k.to_owned(), value));
        }
    }
    let mut body = serde_urlencoded::to_string(&pairs).unwrap().into_bytes();
    if rng.gen_bool(0.15) {
        body = (0..rng.gen_range(0..100)).map(|_| rng.gen()).collect();
    }
    body
}
