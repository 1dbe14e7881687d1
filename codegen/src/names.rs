//! Rust names for the model's names: members become snake_case fields, enum values become
//! CamelCase variants, shapes keep their names.

/// `CallbackURLs` -> `callback_urls`, `AllowedOAuthFlows` -> `allowed_o_auth_flows`,
/// `SMSMfaSettings` -> `sms_mfa_settings`: the names the AWS SDK for Rust uses.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            // A plural "s" after an acronym (URLs) stays with it.
            let plural = next == Some('s')
                && chars
                    .get(i + 2)
                    .is_none_or(|c| c.is_ascii_uppercase() || !c.is_alphanumeric());
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !plural);
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
        }
        if c.is_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    field(out.trim_matches('_'))
}

/// `userPoolId`-style name of member `name`, as AWS's validation messages spell it.
pub fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Rust identifier for a field, escaping keywords.
fn field(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
        "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
        "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
        "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
        "use", "virtual", "where", "while", "yield",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// `USER_SRP_AUTH` -> `UserSrpAuth`, `phone_number` -> `PhoneNumber`.
pub fn variant(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            let rest: String = chars.collect();
            // Values already in CamelCase keep their humps; SHOUTING ones are lowered.
            if rest.chars().any(|c| c.is_ascii_lowercase()) {
                out.push_str(&rest);
            } else {
                out.push_str(&rest.to_ascii_lowercase());
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// `UserPoolType` -> `USER_POOL_TYPE`, for the names of statics.
pub fn upper_snake(name: &str) -> String {
    snake(name).trim_start_matches("r#").to_ascii_uppercase()
}

/// A Rust string literal for `s`.
pub fn literal(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names_match_the_sdk() {
        for (model, rust) in [
            ("CallbackURLs", "callback_urls"),
            ("AllowedOAuthFlows", "allowed_o_auth_flows"),
            ("SMSMfaSettings", "sms_mfa_settings"),
            ("DefaultRedirectURI", "default_redirect_uri"),
            ("UserPoolId", "user_pool_id"),
            ("IdTokenValidity", "id_token_validity"),
            ("Type", "r#type"),
            ("SMSMessage", "sms_message"),
            ("ARN", "arn"),
        ] {
            assert_eq!(snake(model), rust, "{model}");
        }
    }

    #[test]
    fn variants() {
        assert_eq!(variant("USER_SRP_AUTH"), "UserSrpAuth");
        assert_eq!(variant("phone_number"), "PhoneNumber");
        assert_eq!(variant("Level1"), "Level1");
        assert_eq!(variant("3DES"), "V3des");
    }
}
