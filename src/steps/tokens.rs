//! What the tokens say, checked against the pool's published keys.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cucumber::then;
use serde_json::{json, Value};

use super::expect_eq;
use super::params::{PersonName, Pronoun};
use crate::error::{Error, Result};
use crate::tokens::{verify, Expected, TokenUse};
use crate::world::CognitoWorld;

/// Verifies the current id and access tokens against the pool's JWKS, for the client
/// they were issued to; returns their claims, and records the tokens for the report.
pub(crate) async fn verified(
    world: &mut CognitoWorld,
) -> Result<(
    serde_json::Map<String, Value>,
    serde_json::Map<String, Value>,
)> {
    let t = world.current_tokens()?.clone();
    let pool = world.pool()?;
    let jwks = world.target.jwks(&pool.id).await?;
    let issuer = world.target.issuer(&pool.id);
    let client_id = &t.client_id;
    let expect = |token_use| Expected {
        issuer: &issuer,
        client_id,
        token_use,
    };
    let id = verify(t.id.expose(), &jwks, &expect(TokenUse::Id))?;
    let access = verify(t.access.expose(), &jwks, &expect(TokenUse::Access))?;
    world.evidence.token("id token", t.id.expose(), &id);
    world
        .evidence
        .token("access token", t.access.expose(), &access);
    Ok((id, access))
}

fn kid(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid)
}

#[then("the id and access tokens are signed by the pool's two keys")]
async fn signed_by_pool(world: &mut CognitoWorld) -> Result<()> {
    verified(world).await?;
    let t = world.current_tokens()?;
    let (id_kid, access_kid) = (kid(t.id.expose()), kid(t.access.expose()));
    if id_kid.is_some() && id_kid != access_kid {
        Ok(())
    } else {
        Err(Error::unexpected(
            "two different kids",
            format!("{id_kid:?} and {access_kid:?}"),
        ))
    }
}

#[then(expr = "the id token names {person}, {pronoun} e-mail address and email_verified true")]
async fn id_claims(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let (id, _) = verified(world).await?;
    let sub = names_person(world, &name, &id)?;
    // With the e-mail address as username, Cognito's username is the sub.
    expect_eq(
        "cognito:username",
        Some(&json!(sub)),
        id.get("cognito:username"),
    )?;
    expect_eq(
        "email_verified",
        Some(&json!(true)),
        id.get("email_verified"),
    )?;
    for claim in ["origin_jti", "event_id", "auth_time", "iat", "jti"] {
        if !id.contains_key(claim) {
            return Err(Error::unexpected(format!("the claim {claim}"), "none"));
        }
    }
    let lifetime = id
        .get("exp")
        .and_then(Value::as_i64)
        .zip(id.get("iat").and_then(Value::as_i64));
    expect_eq(
        "exp - iat",
        Some(3600),
        lifetime.map(|(exp, iat)| exp - iat),
    )
}

#[then(expr = "the id token names {person} and {pronoun} e-mail address")]
async fn id_names(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let (id, _) = verified(world).await?;
    names_person(world, &name, &id).map(drop)
}

/// Checks that the id token's `sub` and `email` are `name`'s; returns the sub.
fn names_person(
    world: &CognitoWorld,
    name: &str,
    id: &serde_json::Map<String, Value>,
) -> Result<String> {
    let person = world.known(name)?;
    let sub = person
        .sub
        .clone()
        .ok_or(Error::Missing("the UserSub from sign-up"))?;
    expect_eq("sub", Some(&json!(sub)), id.get("sub"))?;
    expect_eq("email", Some(&json!(person.email)), id.get("email"))?;
    Ok(sub)
}

#[then(expr = "the access token is for the client, with the scope {string}")]
async fn access_claims(world: &mut CognitoWorld, scope: String) -> Result<()> {
    let (id, access) = verified(world).await?;
    expect_eq("scope", Some(&json!(scope)), access.get("scope"))?;
    expect_eq(
        "username",
        id.get("cognito:username"),
        access.get("username"),
    )?;
    expect_eq("sub", id.get("sub"), access.get("sub"))?;
    expect_eq("origin_jti", id.get("origin_jti"), access.get("origin_jti"))
}

#[then("the refresh token is opaque: an encrypted JWE")]
async fn refresh_is_jwe(world: &mut CognitoWorld) -> Result<()> {
    let refresh = world
        .current_tokens()?
        .refresh
        .clone()
        .ok_or(Error::Missing("a refresh token"))?;
    let parts: Vec<&str> = refresh.expose().split('.').collect();
    expect_eq("the number of dot-separated parts", 5, parts.len())?;
    let header: Value = URL_SAFE_NO_PAD
        .decode(parts[0])
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    expect_eq("the JWE's alg", Some(&json!("RSA-OAEP")), header.get("alg"))?;
    expect_eq("the JWE's enc", Some(&json!("A256GCM")), header.get("enc"))
}

#[then("the new tokens belong to the same sign-in as the first ones")]
async fn same_sign_in(world: &mut CognitoWorld) -> Result<()> {
    let claims = |token: &str| crate::tokens::decode_unverified_claims(token).unwrap_or_default();
    let now = claims(world.current_tokens()?.access.expose());
    let before = world
        .auth
        .previous
        .as_ref()
        .ok_or(Error::Missing("earlier tokens"))?;
    let before = claims(before.access.expose());
    expect_eq("auth_time", before.get("auth_time"), now.get("auth_time"))?;
    expect_eq(
        "origin_jti",
        before.get("origin_jti"),
        now.get("origin_jti"),
    )
}
