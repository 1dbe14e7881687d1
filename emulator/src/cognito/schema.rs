//! The attribute schema a pool reports: AWS's standard attributes, then the pool's
//! custom ones (`custom:` prefixed).

use serde_json::{json, Value};

use super::error::{CognitoError, CognitoResult};

/// Standard attributes: name, type, mutable, required.
const STANDARD: &[(&str, &str, bool, bool)] = &[
    ("profile", "String", true, false),
    ("address", "String", true, false),
    ("birthdate", "String", true, false),
    ("gender", "String", true, false),
    ("preferred_username", "String", true, false),
    ("updated_at", "Number", true, false),
    ("website", "String", true, false),
    ("picture", "String", true, false),
    ("identities", "String", true, false),
    ("sub", "String", false, true),
    ("phone_number", "String", true, false),
    ("phone_number_verified", "Boolean", true, false),
    ("zoneinfo", "String", true, false),
    ("locale", "String", true, false),
    ("email", "String", true, false),
    ("email_verified", "Boolean", true, false),
    ("given_name", "String", true, false),
    ("family_name", "String", true, false),
    ("middle_name", "String", true, false),
    ("name", "String", true, false),
    ("nickname", "String", true, false),
];

/// Whether `name` is a standard attribute.
pub fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(n, ..)| *n == name)
}

/// The `SchemaAttributes` of a pool created with `custom` (the `Schema` input).
pub fn pool_schema(custom: &[Value]) -> CognitoResult<Vec<Value>> {
    let mut out: Vec<Value> = STANDARD
        .iter()
        .map(|&(name, kind, mutable, required)| standard(name, kind, mutable, required))
        .collect();
    for attr in custom {
        let Some(name) = attr.get("Name").and_then(Value::as_str) else {
            return Err(CognitoError::InvalidParameterException(
                "A schema attribute must have a Name".into(),
            ));
        };
        if is_standard(name) {
            // A standard attribute named in Schema changes its Required/Mutable flags.
            if let Some(existing) = out.iter_mut().find(|a| a["Name"] == name) {
                for flag in ["Required", "Mutable"] {
                    if let Some(v) = attr.get(flag) {
                        existing[flag] = v.clone();
                    }
                }
            }
            continue;
        }
        let mut a = attr.clone();
        a["Name"] = json!(format!("custom:{name}"));
        let kind = a
            .get("AttributeDataType")
            .and_then(Value::as_str)
            .unwrap_or("String")
            .to_owned();
        a["AttributeDataType"] = json!(kind);
        a["DeveloperOnlyAttribute"] = a
            .get("DeveloperOnlyAttribute")
            .cloned()
            .unwrap_or(json!(false));
        a["Mutable"] = a.get("Mutable").cloned().unwrap_or(json!(true));
        a["Required"] = json!(false);
        if kind == "String" && a.get("StringAttributeConstraints").is_none() {
            a["StringAttributeConstraints"] = json!({});
        }
        if kind == "Number" && a.get("NumberAttributeConstraints").is_none() {
            a["NumberAttributeConstraints"] = json!({});
        }
        out.push(a);
    }
    Ok(out)
}

fn standard(name: &str, kind: &str, mutable: bool, required: bool) -> Value {
    let mut a = json!({
        "Name": name,
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": false,
        "Mutable": mutable,
        "Required": required,
    });
    match kind {
        "String" => {
            let (min, max) = match name {
                "sub" => ("1", "2048"),
                "birthdate" => ("10", "10"),
                _ => ("0", "2048"),
            };
            a["StringAttributeConstraints"] = json!({"MinLength": min, "MaxLength": max});
        }
        "Number" => a["NumberAttributeConstraints"] = json!({"MinValue": "0"}),
        _ => {}
    }
    a
}
