//! The attribute schema a pool reports: AWS's standard attributes, then the pool's custom
//! ones (`custom:NAME`, or `dev:custom:NAME` for developer-only ones), checked as AWS
//! checks a `CreateUserPool` schema.

use super::error::{CognitoError, CognitoResult};
use crate::generated::cognito::shapes::{
    AttributeDataType, NumberAttributeConstraintsType, SchemaAttributeType,
    StringAttributeConstraintsType,
};

/// Standard attributes: name, type, mutable, required.
const STANDARD: &[(&str, AttributeDataType, bool, bool)] = &[
    ("profile", AttributeDataType::String, true, false),
    ("address", AttributeDataType::String, true, false),
    ("birthdate", AttributeDataType::String, true, false),
    ("gender", AttributeDataType::String, true, false),
    ("preferred_username", AttributeDataType::String, true, false),
    ("updated_at", AttributeDataType::Number, true, false),
    ("website", AttributeDataType::String, true, false),
    ("picture", AttributeDataType::String, true, false),
    ("identities", AttributeDataType::String, true, false),
    ("sub", AttributeDataType::String, false, true),
    ("phone_number", AttributeDataType::String, true, false),
    (
        "phone_number_verified",
        AttributeDataType::Boolean,
        true,
        false,
    ),
    ("zoneinfo", AttributeDataType::String, true, false),
    ("locale", AttributeDataType::String, true, false),
    ("email", AttributeDataType::String, true, false),
    ("email_verified", AttributeDataType::Boolean, true, false),
    ("given_name", AttributeDataType::String, true, false),
    ("family_name", AttributeDataType::String, true, false),
    ("middle_name", AttributeDataType::String, true, false),
    ("name", AttributeDataType::String, true, false),
    ("nickname", AttributeDataType::String, true, false),
];

/// The longest a string attribute can be.
const MAX_STRING_LENGTH: i64 = 2048;

/// Whether `name` is a standard attribute.
pub fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(n, ..)| *n == name)
}

fn invalid(message: String) -> CognitoError {
    CognitoError::InvalidParameterException(message)
}

/// The `SchemaAttributes` of a pool created with `custom` (the `Schema` input).
pub fn pool_schema(custom: &[SchemaAttributeType]) -> CognitoResult<Vec<SchemaAttributeType>> {
    let mut out: Vec<SchemaAttributeType> = STANDARD
        .iter()
        .map(|(name, kind, mutable, required)| standard(name, kind.clone(), *mutable, *required))
        .collect();
    for attr in custom {
        let name = attr.name.clone().unwrap_or_default();
        if let Some(existing) = out
            .iter_mut()
            .find(|a| a.name.as_deref() == Some(name.as_str()) && is_standard(&name))
        {
            // A standard attribute named in Schema may change its Required and Mutable
            // flags and its constraints, never its type or who may write it.
            let changes_type = attr
                .attribute_data_type
                .as_ref()
                .is_some_and(|t| Some(t) != existing.attribute_data_type.as_ref());
            if changes_type || attr.developer_only_attribute == Some(true) {
                return Err(invalid(format!(
                    "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}"
                )));
            }
            if let Some(v) = attr.required {
                existing.required = Some(v);
            }
            if let Some(v) = attr.mutable {
                existing.mutable = Some(v);
            }
            if let Some(c) = &attr.string_attribute_constraints {
                let c = string_constraints(&name, c)?;
                existing.string_attribute_constraints = Some(c);
            }
            continue;
        }
        out.push(custom_attribute(attr, &name)?);
    }
    Ok(out)
}

/// The most custom attributes a pool can have.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// Adds the custom attributes `added` (`AddCustomAttributes`) to `schema`: all of them
/// or, on the first refusal, none.
pub fn add_custom(
    schema: &mut Vec<SchemaAttributeType>,
    added: &[SchemaAttributeType],
) -> CognitoResult<()> {
    let mut grown = schema.clone();
    for attr in added {
        let name = attr.name.clone().unwrap_or_default();
        let new = custom_attribute(attr, &name)?;
        let full = new.name.clone().unwrap_or_default();
        if grown
            .iter()
            .any(|a| a.name.as_deref() == Some(full.as_str()))
        {
            // AWS names the attribute as asked (with `custom:`), then as it is stored.
            return Err(invalid(format!(
                "custom:{name}: Existing attribute already has name {full}."
            )));
        }
        grown.push(new);
    }
    let custom = grown
        .iter()
        .filter(|a| a.name.as_deref().is_some_and(|n| !is_standard(n)))
        .count();
    if custom > MAX_CUSTOM_ATTRIBUTES {
        return Err(invalid(format!(
            "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )));
    }
    *schema = grown;
    Ok(())
}

fn custom_attribute(attr: &SchemaAttributeType, name: &str) -> CognitoResult<SchemaAttributeType> {
    if attr.required == Some(true) {
        return Err(invalid(
            "Required custom attributes are not supported currently.".into(),
        ));
    }
    let kind = match &attr.attribute_data_type {
        Some(kind) if !matches!(kind, AttributeDataType::Unlisted(_)) => kind.clone(),
        _ => return Err(invalid(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
                .into(),
        )),
    };
    let developer_only = attr.developer_only_attribute.unwrap_or(false);
    let prefix = if developer_only {
        "dev:custom:"
    } else {
        "custom:"
    };
    let mut out = SchemaAttributeType {
        name: Some(format!("{prefix}{name}")),
        attribute_data_type: Some(kind.clone()),
        developer_only_attribute: Some(developer_only),
        mutable: Some(attr.mutable.unwrap_or(true)),
        required: Some(false),
        ..SchemaAttributeType::default()
    };
    // Only the constraints of the attribute's own type are kept and echoed.
    match kind {
        AttributeDataType::String => {
            let given = attr
                .string_attribute_constraints
                .clone()
                .unwrap_or_default();
            out.string_attribute_constraints = Some(string_constraints(name, &given)?);
        }
        AttributeDataType::Number => {
            let given = attr
                .number_attribute_constraints
                .clone()
                .unwrap_or_default();
            out.number_attribute_constraints = Some(number_constraints(name, &given)?);
        }
        _ => {}
    }
    Ok(out)
}

fn bound(name: &str, text: Option<&str>) -> CognitoResult<Option<i64>> {
    text.map(|t| {
        t.trim()
            .parse::<i64>()
            .map_err(|_| invalid(format!("user.{name}: {t} is not a number.")))
    })
    .transpose()
}

fn string_constraints(
    name: &str,
    c: &StringAttributeConstraintsType,
) -> CognitoResult<StringAttributeConstraintsType> {
    let min = bound(name, c.min_length.as_deref())?;
    let max = bound(name, c.max_length.as_deref())?;
    if min.unwrap_or(0) > MAX_STRING_LENGTH || max.unwrap_or(0) > MAX_STRING_LENGTH {
        return Err(invalid(format!(
            "user.{name}: String attributes cannot have a length of more than {MAX_STRING_LENGTH}"
        )));
    }
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(invalid(format!(
                "user.{name}: Max length cannot be less than min length."
            )));
        }
    }
    Ok(c.clone())
}

fn number_constraints(
    name: &str,
    c: &NumberAttributeConstraintsType,
) -> CognitoResult<NumberAttributeConstraintsType> {
    let min = bound(name, c.min_value.as_deref())?;
    let max = bound(name, c.max_value.as_deref())?;
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(invalid(format!(
                "user.{name}: Max value cannot be less than min value."
            )));
        }
    }
    Ok(c.clone())
}

fn standard(
    name: &str,
    kind: AttributeDataType,
    mutable: bool,
    required: bool,
) -> SchemaAttributeType {
    let mut a = SchemaAttributeType {
        name: Some(name.to_owned()),
        attribute_data_type: Some(kind.clone()),
        developer_only_attribute: Some(false),
        mutable: Some(mutable),
        required: Some(required),
        ..SchemaAttributeType::default()
    };
    match kind {
        AttributeDataType::String => {
            let (min, max) = match name {
                "sub" => ("1", "2048"),
                "birthdate" => ("10", "10"),
                _ => ("0", "2048"),
            };
            a.string_attribute_constraints = Some(StringAttributeConstraintsType {
                min_length: Some(min.into()),
                max_length: Some(max.into()),
            });
        }
        AttributeDataType::Number => {
            a.number_attribute_constraints = Some(NumberAttributeConstraintsType {
                min_value: Some("0".into()),
                max_value: None,
            })
        }
        _ => {}
    }
    a
}
