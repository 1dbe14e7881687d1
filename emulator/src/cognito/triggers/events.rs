//! The events triggers get, in AWS's shapes: the common part (`version`, `region`,
//! `userPoolId`, `userName`, `triggerSource`, `callerContext`) around each trigger's
//! `request`, and the `response` with AWS's defaults, which the function fills in.

use serde_json::{json, Map, Value};

use crate::cognito::pool::UserPool;
use crate::cognito::user::User;

/// Who and what an event is about.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    /// The pool's region.
    pub region: &'a str,
    /// The pool.
    pub pool_id: &'a str,
    /// The user's stored username (the name typed, before the user exists).
    pub username: &'a str,
    /// The app client, where a client made the call.
    pub client_id: Option<&'a str>,
    /// `triggerSource`, such as `PreSignUp_SignUp`.
    pub source: &'a str,
}

impl<'a> Origin<'a> {
    /// An event of `pool` about `username`, from `client_id`, with `source`.
    pub fn of(
        pool: &'a UserPool,
        username: &'a str,
        client_id: Option<&'a str>,
        source: &'a str,
    ) -> Self {
        Self {
            region: &pool.region,
            pool_id: &pool.id,
            username,
            client_id,
            source,
        }
    }
}

/// An event: the common part, `request` and `response`, in event `version`.
pub fn event(origin: &Origin<'_>, version: &str, request: Value, response: Value) -> Value {
    json!({
        "version": version,
        "region": origin.region,
        "userPoolId": origin.pool_id,
        "userName": origin.username,
        "triggerSource": origin.source,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": origin.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
        },
        "request": request,
        "response": response,
    })
}

/// `request.userAttributes` of a stored user: every attribute as a string (`sub`
/// included, `email_verified` as `"true"`/`"false"`), and `cognito:user_status`.
pub fn user_attributes(user: &User) -> Value {
    let mut attributes: Map<String, Value> = user
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    attributes.insert(
        "cognito:user_status".into(),
        Value::String(user.status.as_str().to_owned()),
    );
    Value::Object(attributes)
}

/// `request.userAttributes` from attributes given as name-value pairs (a sign-up, before
/// the user exists).
pub fn given_attributes<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect(),
    )
}

/// `clientMetadata`, as sent (an empty map when none was).
pub fn client_metadata<K: AsRef<str>, V: AsRef<str>>(
    metadata: Option<impl IntoIterator<Item = (K, V)>>,
) -> Value {
    Value::Object(
        metadata
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_ref().to_owned(), Value::String(v.as_ref().to_owned())))
            .collect(),
    )
}

/// A boolean in the function's `response`, false when absent or null.
pub fn flag(returned: &Value, name: &str) -> bool {
    returned["response"][name].as_bool().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_part_is_aws_s() {
        let e = event(
            &Origin {
                region: "us-east-1",
                pool_id: "us-east-1_abc",
                username: "alice",
                client_id: None,
                source: "PreSignUp_AdminCreateUser",
            },
            "1",
            json!({"userAttributes": {}}),
            json!({"autoConfirmUser": false}),
        );
        assert_eq!(e["callerContext"]["clientId"], "CLIENT_ID_NOT_APPLICABLE");
        assert_eq!(e["triggerSource"], "PreSignUp_AdminCreateUser");
        assert_eq!(e["response"]["autoConfirmUser"], false);
        assert!(!flag(&e, "autoVerifyEmail"));
    }
}
