//! What a pre-token-generation trigger may change in the tokens: claims added,
//! overridden or suppressed, groups overridden, and (from event version 2) scopes, for
//! each token. Claims AWS does not let a trigger touch stay as they were.

use serde_json::{Map, Value};

/// Claims a trigger cannot add, change or suppress (AWS's list, with the emulator's
/// own `event_id`, `at_hash`, `c_hash` and `cognito:username`).
const PROTECTED: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "c_hash",
    "client_id",
    "cognito:username",
    "event_id",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "scope",
    "sub",
    "token_use",
    "username",
    "version",
];

/// Adds or overrides, then suppresses, claims of one token, as `details`
/// (`{claimsToAddOrOverride, claimsToSuppress}`) says.
fn apply_claims(claims: &mut Map<String, Value>, details: &Value) {
    if let Some(add) = details["claimsToAddOrOverride"].as_object() {
        for (name, value) in add {
            if PROTECTED.contains(&name.as_str()) {
                tracing::debug!(claim = %name, "a pre-token-generation trigger may not change this claim");
                continue;
            }
            claims.insert(name.clone(), value.clone());
        }
    }
    if let Some(suppress) = details["claimsToSuppress"].as_array() {
        for name in suppress.iter().filter_map(Value::as_str) {
            if !PROTECTED.contains(&name) {
                claims.remove(name);
            }
        }
    }
}

/// Replaces the group claims as `groups` (`{groupsToOverride, iamRolesToOverride,
/// preferredRole}`) says: `cognito:groups` in both tokens, the roles in the id token.
fn apply_groups(id: &mut Map<String, Value>, access: &mut Map<String, Value>, groups: &Value) {
    if let Some(names) = groups["groupsToOverride"].as_array() {
        for claims in [&mut *id, &mut *access] {
            if names.is_empty() {
                claims.remove("cognito:groups");
            } else {
                claims.insert("cognito:groups".into(), Value::Array(names.clone()));
            }
        }
    }
    if let Some(roles) = groups["iamRolesToOverride"].as_array() {
        if roles.is_empty() {
            id.remove("cognito:roles");
        } else {
            id.insert("cognito:roles".into(), Value::Array(roles.clone()));
        }
    }
    match &groups["preferredRole"] {
        Value::String(role) => {
            id.insert("cognito:preferred_role".into(), Value::String(role.clone()));
        }
        Value::Null => {}
        _ => {}
    }
}

/// Adds and removes scopes of the access token's space-separated `scope`.
fn apply_scopes(access: &mut Map<String, Value>, details: &Value) {
    let mut scopes: Vec<String> = access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if let Some(add) = details["scopesToAdd"].as_array() {
        for scope in add.iter().filter_map(Value::as_str) {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
    }
    if let Some(suppress) = details["scopesToSuppress"].as_array() {
        let suppress: Vec<&str> = suppress.iter().filter_map(Value::as_str).collect();
        scopes.retain(|s| !suppress.contains(&s.as_str()));
    }
    access.insert("scope".into(), Value::String(scopes.join(" ")));
}

/// Applies the event a pre-token-generation trigger returned to the id and access
/// tokens' claims. Event version 1 changes the id token (and the groups in both);
/// versions 2 and 3 change each token as they say.
pub fn apply(returned: &Value, id: &mut Map<String, Value>, access: &mut Map<String, Value>) {
    let response = &returned["response"];
    let v1 = &response["claimsOverrideDetails"];
    if v1.is_object() {
        apply_claims(id, v1);
        apply_groups(id, access, &v1["groupOverrideDetails"]);
    }
    let v2 = &response["claimsAndScopeOverrideDetails"];
    if v2.is_object() {
        apply_claims(id, &v2["idTokenGeneration"]);
        apply_claims(access, &v2["accessTokenGeneration"]);
        if v2["accessTokenGeneration"].is_object() {
            apply_scopes(access, &v2["accessTokenGeneration"]);
        }
        apply_groups(id, access, &v2["groupOverrideDetails"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn version_1_changes_the_id_token_and_keeps_protected_claims() {
        let mut id = claims(json!({"sub": "s", "email": "a@b.c", "name": "A"}));
        let mut access = claims(json!({"sub": "s", "scope": "aws.cognito.signin.user.admin"}));
        let returned = json!({"response": {"claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tenant": "acme", "sub": "evil"},
            "claimsToSuppress": ["name", "iss"],
            "groupOverrideDetails": {"groupsToOverride": ["admins"], "iamRolesToOverride": [], "preferredRole": null}
        }}});
        apply(&returned, &mut id, &mut access);
        assert_eq!(id["tenant"], "acme");
        assert_eq!(id["sub"], "s");
        assert!(!id.contains_key("name"));
        assert_eq!(id["cognito:groups"], json!(["admins"]));
        assert_eq!(access["cognito:groups"], json!(["admins"]));
        assert!(!access.contains_key("tenant"));
    }

    #[test]
    fn version_2_changes_each_token_and_the_scopes() {
        let mut id = claims(json!({"sub": "s"}));
        let mut access = claims(json!({"sub": "s", "scope": "aws.cognito.signin.user.admin"}));
        let returned = json!({"response": {"claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"roles": ["a", "b"]},
                "scopesToAdd": ["orders/read"],
                "scopesToSuppress": ["aws.cognito.signin.user.admin"]
            }
        }}});
        apply(&returned, &mut id, &mut access);
        assert_eq!(id["tenant"], "acme");
        assert_eq!(access["roles"], json!(["a", "b"]));
        assert_eq!(access["scope"], "orders/read");
        assert!(!access.contains_key("tenant"));
    }
}
