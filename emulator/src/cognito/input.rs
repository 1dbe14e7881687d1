//! Reading an operation's JSON input into its typed form, with AWS's error shapes: a
//! missing required member is an `InvalidParameterException` in the words of AWS's
//! request validation; a body of the wrong shape is a `SerializationException`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{CognitoError, CognitoResult};

/// Deserializes `input` as `T`.
pub fn parse<T: DeserializeOwned>(input: Value) -> CognitoResult<T> {
    serde_json::from_value(input).map_err(|e| {
        let text = e.to_string();
        match text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(field) => CognitoError::validation(
                &lower_camel(field),
                Some("null"),
                "Member must not be null",
            ),
            None => CognitoError::SerializationException(text),
        }
    })
}

/// `UserPoolId` -> `userPoolId`, as AWS names members in validation messages.
fn lower_camel(field: &str) -> String {
    let mut chars = field.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Checks a string member's length the way AWS's model constraints do. Secret members
/// (`secret: true`) are not echoed in the message.
pub fn check_len(
    field: &str,
    value: &str,
    secret: bool,
    min: usize,
    max: usize,
) -> CognitoResult<()> {
    let len = value.chars().count();
    let shown = format!("'{value}'");
    let shown = (!secret).then_some(shown.as_str());
    if len < min {
        return Err(CognitoError::validation(
            field,
            shown,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if len > max {
        return Err(CognitoError::validation(
            field,
            shown,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct In {
        user_pool_id: String,
    }

    #[test]
    fn missing_member_is_a_validation_error() {
        let e = parse::<In>(serde_json::json!({})).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterException");
        assert_eq!(
            e.message(),
            "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn wrong_type_is_a_serialization_error() {
        let e = parse::<In>(serde_json::json!({"UserPoolId": 5})).unwrap_err();
        assert_eq!(e.code(), "SerializationException");
    }
}
