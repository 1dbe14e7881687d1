//! `/oauth2/userInfo`: the signed-in user's attributes, for an access token with the
//! `openid` scope. Which attributes depends on the token's other scopes, as OpenID
//! Connect's standard scopes say: `email` and `phone` give those, `profile` the rest,
//! and `aws.cognito.signin.user.admin` everything. Values are strings, as on AWS
//! (`"email_verified": "true"`).

use serde_json::{Map, Value};

use crate::cognito::ops::sessions::token_holder;
use crate::cognito::{region_of_pool, Cognito};

/// Why userInfo refused: the `WWW-Authenticate` challenge's `error` and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorized {
    /// `invalid_token` or `insufficient_scope` (RFC 6750 §3.1).
    pub error: &'static str,
    /// What was wrong.
    pub description: String,
}

/// The attributes of the user `access_token` belongs to.
pub fn userinfo(svc: &Cognito, access_token: &str) -> Result<Value, Unauthorized> {
    let invalid = |d: String| Unauthorized {
        error: "invalid_token",
        description: d,
    };
    let region = pool_of_token(access_token)
        .map(|p| region_of_pool(&p).to_owned())
        .ok_or_else(|| invalid("Access token is malformed.".into()))?;
    let caller =
        token_holder(svc, &region, access_token).map_err(|e| invalid(e.message().to_owned()))?;
    if !caller.scopes.iter().any(|s| s == "openid") {
        return Err(Unauthorized {
            error: "insufficient_scope",
            description: "Access token does not contain openid scope".into(),
        });
    }
    let has = |s: &str| caller.scopes.iter().any(|x| x == s);
    let all = has("aws.cognito.signin.user.admin");
    svc.read(&region, |state| {
        let user = state
            .pool(&caller.pool_id)?
            .stored_user(&caller.username)
            .ok_or_else(crate::cognito::CognitoError::user_not_found)?;
        let mut info = Map::new();
        for (name, value) in &user.attributes {
            let shown = name == "sub"
                || all
                || match name.as_str() {
                    "email" | "email_verified" => has("email"),
                    "phone_number" | "phone_number_verified" => has("phone"),
                    _ => has("profile"),
                };
            if shown {
                info.insert(name.clone(), Value::String(value.clone()));
            }
        }
        info.insert("username".into(), Value::String(user.username.clone()));
        Ok(Value::Object(info))
    })
    .map_err(|e| invalid(e.message().to_owned()))
}

/// The pool named by a token's `iss`, read before verification only to pick the
/// region (the signature is checked afterwards).
fn pool_of_token(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    Some(claims.get("iss")?.as_str()?.rsplit('/').next()?.to_owned())
}
