//! An app client: which auth flows it allows, how long its tokens live, whether it has
//! a secret. Create and update share [`ClientSettings`]: on AWS an update resets what
//! it does not name, as for pools.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::error::{CognitoError, CognitoResult};

/// `TokenValidityUnits`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    /// Unit of `AccessTokenValidity` (default hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Unit of `IdTokenValidity` (default hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Unit of `RefreshTokenValidity` (default days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The settable members of a client: the input of create and update.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ClientSettings {
    pub client_name: Option<String>,
    pub refresh_token_validity: Option<u64>,
    pub access_token_validity: Option<u64>,
    pub id_token_validity: Option<u64>,
    pub token_validity_units: Option<TokenValidityUnits>,
    pub read_attributes: Option<Vec<String>>,
    pub write_attributes: Option<Vec<String>>,
    pub explicit_auth_flows: Option<Vec<String>>,
    pub supported_identity_providers: Option<Vec<String>>,
    #[serde(rename = "CallbackURLs")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(rename = "LogoutURLs")]
    pub logout_urls: Option<Vec<String>>,
    #[serde(rename = "DefaultRedirectURI")]
    pub default_redirect_uri: Option<String>,
    pub allowed_o_auth_flows: Option<Vec<String>>,
    pub allowed_o_auth_scopes: Option<Vec<String>>,
    pub allowed_o_auth_flows_user_pool_client: Option<bool>,
    pub analytics_configuration: Option<Value>,
    pub prevent_user_existence_errors: Option<String>,
    pub enable_token_revocation: Option<bool>,
    pub enable_propagate_additional_user_context_data: Option<bool>,
    pub auth_session_validity: Option<u64>,
    pub refresh_token_rotation: Option<Value>,
}

const FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

impl ClientSettings {
    /// The checks AWS makes, with its messages.
    pub fn validate(&self) -> CognitoResult<()> {
        if let Some(flows) = &self.explicit_auth_flows {
            for f in flows {
                if !FLOWS.contains(&f.as_str()) {
                    return Err(CognitoError::validation(
                        "explicitAuthFlows",
                        Some(&format!("[{}]", flows.join(", "))),
                        &format!(
                            "Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
                            FLOWS.join(", ")
                        ),
                    ));
                }
            }
            let modern = flows.iter().filter(|f| f.starts_with("ALLOW_")).count();
            if modern != 0 && modern != flows.len() {
                return Err(CognitoError::InvalidParameterException(
                    "ExplicitAuthFlows cannot have both ALLOW_ and legacy values".into(),
                ));
            }
        }
        if let Some(p) = &self.prevent_user_existence_errors {
            if p != "LEGACY" && p != "ENABLED" {
                return Err(CognitoError::validation(
                    "preventUserExistenceErrors",
                    Some(p),
                    "Member must satisfy enum value set: [LEGACY, ENABLED]",
                ));
            }
        }
        if let Some(v) = self.auth_session_validity {
            if !(3..=15).contains(&v) {
                return Err(CognitoError::validation(
                    "authSessionValidity",
                    Some(&v.to_string()),
                    "Member must have value between 3 and 15",
                ));
            }
        }
        for (value, unit, default_unit, name, max) in [
            (
                self.access_token_validity,
                self.unit(|u| &u.access_token),
                "hours",
                "AccessToken",
                86_400,
            ),
            (
                self.id_token_validity,
                self.unit(|u| &u.id_token),
                "hours",
                "IdToken",
                86_400,
            ),
        ] {
            if let Some(v) = value {
                let secs = to_seconds(v, unit.unwrap_or(default_unit));
                if !(300..=max).contains(&secs) {
                    return Err(CognitoError::InvalidParameterException(format!(
                        "{name} validity must be between 5 minutes and 1 day."
                    )));
                }
            }
        }
        if let Some(v) = self.refresh_token_validity.filter(|v| *v != 0) {
            let secs = to_seconds(v, self.unit(|u| &u.refresh_token).unwrap_or("days"));
            if !(3600..=10 * 365 * 86_400).contains(&secs) {
                return Err(CognitoError::InvalidParameterException(
                    "RefreshToken validity must be between 60 minutes and 10 years.".into(),
                ));
            }
        }
        Ok(())
    }

    fn unit(&self, pick: impl Fn(&TokenValidityUnits) -> &Option<String>) -> Option<&str> {
        self.token_validity_units
            .as_ref()
            .and_then(|u| pick(u).as_deref())
    }
}

/// One app client.
#[derive(Debug, Clone)]
pub struct AppClient {
    /// 26 lowercase letters and digits.
    pub id: String,
    /// The pool it belongs to.
    pub pool_id: String,
    /// The secret, for clients made with `GenerateSecret`.
    pub secret: Option<String>,
    /// Epoch seconds.
    pub created: f64,
    /// Epoch seconds.
    pub modified: f64,
    /// What the client was created or last updated with.
    pub settings: ClientSettings,
}

impl AppClient {
    /// The client's name.
    pub fn name(&self) -> &str {
        self.settings.client_name.as_deref().unwrap_or_default()
    }

    /// The auth flows in force. A client created without any allows SRP, refresh and
    /// custom auth, as on AWS.
    pub fn flows(&self) -> Vec<String> {
        self.settings
            .explicit_auth_flows
            .clone()
            .unwrap_or_else(|| {
                [
                    "ALLOW_REFRESH_TOKEN_AUTH",
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_CUSTOM_AUTH",
                ]
                .map(String::from)
                .to_vec()
            })
    }

    /// Whether the client allows the flow (either spelling: `USER_PASSWORD_AUTH` or
    /// `ALLOW_USER_PASSWORD_AUTH`).
    pub fn allows(&self, legacy: &str, modern: &str) -> bool {
        self.flows().iter().any(|f| f == legacy || f == modern)
    }

    /// Whether refresh tokens may be used: always for legacy flow lists (AWS adds it
    /// implicitly), otherwise only with `ALLOW_REFRESH_TOKEN_AUTH`.
    pub fn allows_refresh(&self) -> bool {
        let flows = self.flows();
        flows.iter().any(|f| f == "ALLOW_REFRESH_TOKEN_AUTH")
            || !flows.iter().any(|f| f.starts_with("ALLOW_"))
    }

    /// Whether unknown users are reported as wrong credentials.
    pub fn hides_user_existence(&self) -> bool {
        self.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED")
    }

    /// Whether refresh tokens can be revoked (default on).
    pub fn revocation_enabled(&self) -> bool {
        self.settings.enable_token_revocation.unwrap_or(true)
    }

    /// Access token lifetime in seconds (default one hour).
    pub fn access_validity_secs(&self) -> i64 {
        self.validity(
            self.settings.access_token_validity,
            |u| &u.access_token,
            "hours",
            3600,
        )
    }

    /// Id token lifetime in seconds (default one hour).
    pub fn id_validity_secs(&self) -> i64 {
        self.validity(
            self.settings.id_token_validity,
            |u| &u.id_token,
            "hours",
            3600,
        )
    }

    /// Refresh token lifetime in seconds (default 30 days).
    pub fn refresh_validity_secs(&self) -> i64 {
        let days30 = 30 * 86_400;
        match self.settings.refresh_token_validity {
            Some(0) | None => days30,
            v => self.validity(v, |u| &u.refresh_token, "days", days30),
        }
    }

    fn validity(
        &self,
        value: Option<u64>,
        pick: impl Fn(&TokenValidityUnits) -> &Option<String>,
        default_unit: &str,
        default_secs: i64,
    ) -> i64 {
        match value {
            Some(v) => to_seconds(v, self.settings.unit(pick).unwrap_or(default_unit)) as i64,
            None => default_secs,
        }
    }

    /// The `UserPoolClientType` of describe, create and update.
    pub fn describe(&self) -> Value {
        let s = &self.settings;
        let mut out = Map::new();
        let mut put = |k: &str, v: Value| {
            out.insert(k.to_owned(), v);
        };
        put("UserPoolId", json!(self.pool_id));
        put("ClientName", json!(self.name()));
        put("ClientId", json!(self.id));
        if let Some(secret) = &self.secret {
            put("ClientSecret", json!(secret));
        }
        put("LastModifiedDate", json!(self.modified));
        put("CreationDate", json!(self.created));
        put(
            "RefreshTokenValidity",
            json!(match s.refresh_token_validity {
                Some(0) | None => 30,
                Some(v) => v,
            }),
        );
        if let Some(v) = s.access_token_validity {
            put("AccessTokenValidity", json!(v));
        }
        if let Some(v) = s.id_token_validity {
            put("IdTokenValidity", json!(v));
        }
        put(
            "TokenValidityUnits",
            serde_json::to_value(s.token_validity_units.clone().unwrap_or_default())
                .unwrap_or_else(|_| json!({})),
        );
        let lists = [
            ("ReadAttributes", &s.read_attributes),
            ("WriteAttributes", &s.write_attributes),
            ("ExplicitAuthFlows", &s.explicit_auth_flows),
            (
                "SupportedIdentityProviders",
                &s.supported_identity_providers,
            ),
            ("CallbackURLs", &s.callback_urls),
            ("LogoutURLs", &s.logout_urls),
        ];
        for (name, list) in lists {
            if let Some(v) = list {
                put(name, json!(v));
            }
        }
        if let Some(v) = &s.default_redirect_uri {
            put("DefaultRedirectURI", json!(v));
        }
        if let Some(v) = &s.allowed_o_auth_flows {
            put("AllowedOAuthFlows", json!(v));
        }
        if let Some(v) = &s.allowed_o_auth_scopes {
            put("AllowedOAuthScopes", json!(v));
        }
        put(
            "AllowedOAuthFlowsUserPoolClient",
            json!(s.allowed_o_auth_flows_user_pool_client.unwrap_or(false)),
        );
        if let Some(v) = &s.analytics_configuration {
            put("AnalyticsConfiguration", v.clone());
        }
        if let Some(v) = &s.prevent_user_existence_errors {
            put("PreventUserExistenceErrors", json!(v));
        }
        put("EnableTokenRevocation", json!(self.revocation_enabled()));
        put(
            "EnablePropagateAdditionalUserContextData",
            json!(s
                .enable_propagate_additional_user_context_data
                .unwrap_or(false)),
        );
        put(
            "AuthSessionValidity",
            json!(s.auth_session_validity.unwrap_or(3)),
        );
        if let Some(v) = &s.refresh_token_rotation {
            put("RefreshTokenRotation", v.clone());
        }
        Value::Object(out)
    }

    /// The `UserPoolClientDescription` of `ListUserPoolClients`.
    pub fn summary(&self) -> Value {
        json!({"ClientId": self.id, "UserPoolId": self.pool_id, "ClientName": self.name()})
    }
}

fn to_seconds(value: u64, unit: &str) -> u64 {
    let per = match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    };
    value.saturating_mul(per)
}
