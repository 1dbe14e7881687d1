//! Every AWS API response a scenario received, recorded by an SDK interceptor on the
//! scenario's own clients and normalized, so that responses from two targets can be
//! compared field by field (`cognito-e2e compare`): values that differ on every run
//! (ids, dates, tokens, secrets, sessions, names with the run's id) are replaced by
//! their kind, `"<uuid>"`, `"<date>"`, `"<token>"` and so on. What is left is what a
//! target chose: members present or absent, enum values, messages, counts.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;

/// One response, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSeen {
    /// The operation (`SignUp`).
    pub operation: String,
    /// The HTTP status.
    pub status: u16,
    /// The body, normalized (`Null` when it was not JSON: SES's XML is kept out).
    pub body: Value,
}

/// The interceptor: it appends each response to a scenario's list.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    seen: Arc<Mutex<Vec<ResponseSeen>>>,
    /// Strings made for this run (the scenario's id), replaced wherever they appear.
    run_marks: Arc<Vec<String>>,
}

impl Recorder {
    /// A recorder that replaces `marks` (the scenario's id) in every string.
    pub fn new(marks: Vec<String>) -> Self {
        Self {
            seen: Arc::default(),
            run_marks: Arc::new(marks),
        }
    }

    /// The responses so far, taken out.
    pub fn take(&self) -> Vec<ResponseSeen> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "cognito-e2e response recorder"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg
            .load::<Metadata>()
            .map(|m| m.name().to_owned())
            .unwrap_or_default();
        let response = context.response();
        let body = response
            .body()
            .bytes()
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .map(|v| normalize(&v, None, &self.run_marks))
            .unwrap_or(Value::Null);
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ResponseSeen {
                operation,
                status: response.status().as_u16(),
                body,
            });
        Ok(())
    }
}

/// `value` with what differs on every run replaced by its kind. `key` is the member the
/// value belongs to.
pub fn normalize(value: &Value, key: Option<&str>, marks: &[String]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalize(v, Some(k), marks)))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| normalize(v, key, marks)).collect())
        }
        Value::Number(_) if key.is_some_and(|k| k.ends_with("Date") || k == "Timestamp") => {
            Value::String("<date>".into())
        }
        Value::String(s) => Value::String(kind_of(s, key, marks)),
        other => other.clone(),
    }
}

fn kind_of(s: &str, key: Option<&str>, marks: &[String]) -> String {
    let key = key.unwrap_or_default();
    if let Some(kind) = kind_by_key(key) {
        return kind.to_owned();
    }
    if is_jwt(s) {
        return "<token>".into();
    }
    if uuid::Uuid::parse_str(s).is_ok() {
        return "<uuid>".into();
    }
    if s.starts_with("arn:") {
        return "<arn>".into();
    }
    let mut out = s.to_owned();
    for mark in marks.iter().filter(|m| !m.is_empty()) {
        out = out.replace(mark.as_str(), "<run>");
    }
    out
}

/// Members whose values are made fresh on every run.
fn kind_by_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "Id" | "UserPoolId" => "<pool-id>",
        "ClientId" => "<client-id>",
        "ClientSecret" => "<secret>",
        "Session" => "<session>",
        "SecretCode" => "<secret>",
        "MessageId" | "RequestId" => "<id>",
        "AccessToken" | "IdToken" | "RefreshToken" => "<token>",
        "CloudFrontDistribution" => "<host>",
        _ => return None,
    })
}

/// Three (JWS) or five (JWE) dot-separated base64url parts.
fn is_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    matches!(parts.len(), 3 | 5)
        && parts[0].len() > 10
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Where two normalized responses differ: member paths with both values (`absent` for
/// a member one of them lacks).
pub fn differences(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(a, b, "", &mut out);
    out
}

fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(p, q, &at(k), out),
                    (Some(p), None) => out.push(format!("{}: {} vs absent", at(k), short(p))),
                    (None, Some(q)) => out.push(format!("{}: absent vs {}", at(k), short(q))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &at(&i.to_string()), out);
            }
        }
        (x, y) if x != y => out.push(format!(
            "{}: {} vs {}",
            if path.is_empty() { "(body)" } else { path },
            short(x),
            short(y)
        )),
        _ => {}
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// The first response where two scenarios' lists differ: its position, operation, and
/// the fields that differ (or that one list ended).
pub fn first_difference(
    a: &[ResponseSeen],
    b: &[ResponseSeen],
) -> Option<(usize, String, Vec<String>)> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if x.operation != y.operation {
            return Some((
                i,
                x.operation.clone(),
                vec![format!("operation: {} vs {}", x.operation, y.operation)],
            ));
        }
        let mut fields = Vec::new();
        if x.status != y.status {
            fields.push(format!("HTTP status: {} vs {}", x.status, y.status));
        }
        fields.extend(differences(&x.body, &y.body));
        if !fields.is_empty() {
            return Some((i, x.operation.clone(), fields));
        }
    }
    (a.len() != b.len()).then(|| {
        let i = a.len().min(b.len());
        let op = a
            .get(i)
            .or(b.get(i))
            .map(|r| r.operation.clone())
            .unwrap_or_default();
        (i, op, vec![format!("{} responses vs {}", a.len(), b.len())])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn run_specific_values_become_their_kind() {
        let body = json!({
            "UserPool": {"Id": "us-east-1_AbC", "Name": "e2e-r1s2-tutorial", "CreationDate": 1.7e9, "Arn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_AbC", "MfaConfiguration": "OFF"},
            "UserSub": "0b7c3e2a-1d4f-4a5b-9c8d-7e6f5a4b3c2d",
            "AuthenticationResult": {"IdToken": "a.b.c"},
            "Other": "eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
        });
        let n = normalize(&body, None, &["r1s2".to_owned()]);
        assert_eq!(
            n,
            json!({
                "UserPool": {"Id": "<pool-id>", "Name": "e2e-<run>-tutorial", "CreationDate": "<date>", "Arn": "<arn>", "MfaConfiguration": "OFF"},
                "UserSub": "<uuid>",
                "AuthenticationResult": {"IdToken": "<token>"},
                "Other": "<token>",
            })
        );
    }

    #[test]
    fn differences_name_the_member_and_both_values() {
        let a = json!({"UserPool": {"MfaConfiguration": "OFF", "Tier": "ESSENTIALS"}, "n": [1, 2]});
        let b = json!({"UserPool": {"MfaConfiguration": "ON"}, "n": [1, 3]});
        assert_eq!(
            differences(&a, &b),
            [
                "UserPool.MfaConfiguration: \"OFF\" vs \"ON\"",
                "UserPool.Tier: \"ESSENTIALS\" vs absent",
                "n.1: 2 vs 3"
            ]
        );
        let seen = |op: &str, body: Value| ResponseSeen {
            operation: op.into(),
            status: 200,
            body,
        };
        let x = [seen("CreateUserPool", a.clone()), seen("SignUp", json!({}))];
        let y = [
            seen("CreateUserPool", a),
            seen("SignUp", json!({"UserConfirmed": false})),
        ];
        let (i, op, fields) = first_difference(&x, &y).unwrap();
        assert_eq!((i, op.as_str()), (1, "SignUp"));
        assert_eq!(fields, ["UserConfirmed: absent vs false"]);
        assert!(first_difference(&x, &x).is_none());
    }
}
