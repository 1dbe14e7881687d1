//! An app client: which auth flows it allows, how long its tokens live, whether it has a
//! secret. A client is kept as the `UserPoolClientType` AWS describes it with, defaults
//! filled in; create and update build it the same way, because on AWS an update resets
//! what it does not name, as for pools.

use super::error::{CognitoError, CognitoResult};
use super::oauth_setup::{PoolOAuth, STANDARD_SCOPES};
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

/// Moves the members that `CreateUserPoolClient` and `UpdateUserPoolClient` share out of
/// `$input` into a `UserPoolClientType`.
macro_rules! client_of {
    ($input:expr) => {
        UserPoolClientType {
            client_name: $input.client_name,
            refresh_token_validity: $input.refresh_token_validity,
            access_token_validity: $input.access_token_validity,
            id_token_validity: $input.id_token_validity,
            token_validity_units: $input.token_validity_units,
            read_attributes: $input.read_attributes,
            write_attributes: $input.write_attributes,
            explicit_auth_flows: $input.explicit_auth_flows,
            supported_identity_providers: $input.supported_identity_providers,
            callback_urls: $input.callback_urls,
            logout_urls: $input.logout_urls,
            default_redirect_uri: $input.default_redirect_uri,
            allowed_o_auth_flows: $input.allowed_o_auth_flows,
            allowed_o_auth_scopes: $input.allowed_o_auth_scopes,
            allowed_o_auth_flows_user_pool_client: $input.allowed_o_auth_flows_user_pool_client,
            analytics_configuration: $input.analytics_configuration,
            prevent_user_existence_errors: $input.prevent_user_existence_errors,
            enable_token_revocation: $input.enable_token_revocation,
            enable_propagate_additional_user_context_data: $input
                .enable_propagate_additional_user_context_data,
            auth_session_validity: $input.auth_session_validity,
            refresh_token_rotation: $input.refresh_token_rotation,
            ..UserPoolClientType::default()
        }
    };
}

/// One app client.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AppClient {
    /// 26 lowercase letters and digits.
    pub id: String,
    /// The pool it belongs to.
    pub pool_id: String,
    /// The secret, for clients made with `GenerateSecret`.
    pub secret: Option<String>,
    /// The client as `DescribeUserPoolClient` shows it.
    described: UserPoolClientType,
}

impl AppClient {
    /// A client made by `CreateUserPoolClient`.
    pub fn create(
        id: String,
        secret: Option<String>,
        input: CreateUserPoolClientRequest,
        now: Timestamp,
    ) -> CognitoResult<Self> {
        let pool_id = input.user_pool_id().to_owned();
        let mut described = client_of!(input);
        described.creation_date = Some(now);
        let mut client = Self {
            pool_id,
            id,
            secret,
            described,
        };
        client.settle(now)?;
        Ok(client)
    }

    /// Replaces the client's settings (`UpdateUserPoolClient`), checking its OAuth
    /// settings against its pool's (`oauth`). The name is the one member an update
    /// without it keeps.
    pub fn update(
        &mut self,
        input: UpdateUserPoolClientRequest,
        now: Timestamp,
        oauth: &PoolOAuth,
    ) -> CognitoResult<()> {
        let mut described = client_of!(input);
        described.client_name = described
            .client_name
            .or_else(|| self.described.client_name.clone());
        described.creation_date = self.described.creation_date;
        let previous = std::mem::replace(&mut self.described, described);
        if let Err(e) = self.settle(now).and_then(|()| self.check_oauth(oauth)) {
            self.described = previous;
            return Err(e);
        }
        Ok(())
    }

    /// Checks the client's OAuth settings against what its pool has, as AWS does: every
    /// allowed scope exists in the pool, every identity provider is `COGNITO` or one of
    /// the pool's.
    pub fn check_oauth(&self, oauth: &PoolOAuth) -> CognitoResult<()> {
        if let Some(scope) = self.oauth_scopes().iter().find(|s| !oauth.scope_exists(s)) {
            return Err(CognitoError::ScopeDoesNotExistException(format!(
                "Invalid scope requested: {scope}"
            )));
        }
        if let Some(provider) = self
            .identity_providers()
            .iter()
            .find(|p| !oauth.provider_exists(p))
        {
            return Err(CognitoError::InvalidParameterException(format!(
                "The provider {provider} does not exist for User Pool {}",
                self.pool_id
            )));
        }
        Ok(())
    }

    /// Checks the settings as AWS does and fills in AWS's defaults.
    fn settle(&mut self, now: Timestamp) -> CognitoResult<()> {
        validate(&self.described, self.secret.is_some())?;
        let d = &mut self.described;
        d.user_pool_id = Some(self.pool_id.clone());
        d.client_id = Some(self.id.clone());
        d.client_secret = self.secret.clone();
        d.last_modified_date = Some(now);
        if d.refresh_token_validity.is_none_or(|v| v == 0) {
            d.refresh_token_validity = Some(30);
        }
        d.token_validity_units.get_or_insert_with(Default::default);
        d.allowed_o_auth_flows_user_pool_client.get_or_insert(false);
        d.enable_token_revocation.get_or_insert(true);
        d.enable_propagate_additional_user_context_data
            .get_or_insert(false);
        d.auth_session_validity.get_or_insert(3);
        Ok(())
    }

    /// The client's name.
    pub fn name(&self) -> &str {
        self.described.client_name.as_deref().unwrap_or_default()
    }

    /// The auth flows in force. A client created without any allows SRP, refresh and
    /// custom auth, as on AWS.
    pub fn flows(&self) -> Vec<ExplicitAuthFlowsType> {
        self.described
            .explicit_auth_flows
            .clone()
            .unwrap_or_else(|| {
                vec![
                    ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                    ExplicitAuthFlowsType::AllowUserSrpAuth,
                    ExplicitAuthFlowsType::AllowCustomAuth,
                ]
            })
    }

    /// Whether the client allows the flow in either spelling (`USER_PASSWORD_AUTH` or
    /// `ALLOW_USER_PASSWORD_AUTH`).
    pub fn allows(&self, legacy: ExplicitAuthFlowsType, modern: ExplicitAuthFlowsType) -> bool {
        self.flows().iter().any(|f| *f == legacy || *f == modern)
    }

    /// Whether SRP sign-in (`USER_SRP_AUTH`) is allowed: with `ALLOW_USER_SRP_AUTH`, or
    /// with a legacy flow list, which always allowed SRP unless it was
    /// `CUSTOM_AUTH_FLOW_ONLY`.
    pub fn allows_srp(&self) -> bool {
        let flows = self.flows();
        flows.contains(&ExplicitAuthFlowsType::AllowUserSrpAuth)
            || !flows.iter().any(|f| {
                f.as_str().starts_with("ALLOW_") || *f == ExplicitAuthFlowsType::CustomAuthFlowOnly
            })
    }

    /// Whether refresh tokens may be used: always for legacy flow lists (AWS adds it
    /// implicitly), otherwise only with `ALLOW_REFRESH_TOKEN_AUTH`.
    pub fn allows_refresh(&self) -> bool {
        let flows = self.flows();
        flows.contains(&ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            || !flows.iter().any(|f| f.as_str().starts_with("ALLOW_"))
    }

    /// Whether `GetTokensFromRefreshToken` rotates refresh tokens.
    pub fn rotates_refresh_tokens(&self) -> bool {
        self.described
            .refresh_token_rotation
            .as_ref()
            .is_some_and(|r| r.feature == Some(FeatureType::Enabled))
    }

    /// How long a rotated-out refresh token still works, for retries (0–60 s).
    pub fn refresh_retry_grace_secs(&self) -> u64 {
        self.described
            .refresh_token_rotation
            .as_ref()
            .and_then(|r| r.retry_grace_period_seconds)
            .unwrap_or(0)
            .clamp(0, 60) as u64
    }

    /// The attributes the client may read (`ReadAttributes`), when it names some.
    pub fn read_attributes(&self) -> Option<&[String]> {
        self.described.read_attributes.as_deref()
    }

    /// Whether a user signed in through this client may change attribute `name`
    /// themselves. A client that names its `WriteAttributes` may write those only; one that
    /// names none writes every attribute but the two verification flags, which only
    /// Cognito (on a verified code) or an administrator set.
    pub fn may_write(&self, name: &str) -> bool {
        match &self.described.write_attributes {
            Some(names) => names.iter().any(|n| n == name),
            None => !matches!(name, "email_verified" | "phone_number_verified"),
        }
    }

    /// Whether the client may use the pool's OAuth 2.0 endpoints
    /// (`AllowedOAuthFlowsUserPoolClient`).
    pub fn oauth_enabled(&self) -> bool {
        self.described.allowed_o_auth_flows_user_pool_client == Some(true)
    }

    /// Whether the client allows OAuth flow `flow` (and OAuth at all).
    pub fn allows_oauth_flow(&self, flow: &OAuthFlowType) -> bool {
        self.oauth_enabled()
            && self
                .described
                .allowed_o_auth_flows
                .iter()
                .flatten()
                .any(|f| f == flow)
    }

    /// The OAuth scopes the client may be granted (`AllowedOAuthScopes`).
    pub fn oauth_scopes(&self) -> &[String] {
        self.described
            .allowed_o_auth_scopes
            .as_deref()
            .unwrap_or_default()
    }

    /// Where the authorization endpoint may send a browser back (`CallbackURLs`).
    pub fn callback_urls(&self) -> &[String] {
        self.described.callback_urls.as_deref().unwrap_or_default()
    }

    /// Where logout may send a browser (`LogoutURLs`).
    pub fn logout_urls(&self) -> &[String] {
        self.described.logout_urls.as_deref().unwrap_or_default()
    }

    /// `DefaultRedirectURI`.
    pub fn default_redirect_uri(&self) -> Option<&str> {
        self.described.default_redirect_uri.as_deref()
    }

    /// The identity providers the client signs in with (`SupportedIdentityProviders`).
    pub fn identity_providers(&self) -> &[String] {
        self.described
            .supported_identity_providers
            .as_deref()
            .unwrap_or_default()
    }

    /// Whether unknown users are reported as wrong credentials.
    pub fn hides_user_existence(&self) -> bool {
        self.described.prevent_user_existence_errors
            == Some(PreventUserExistenceErrorTypes::Enabled)
    }

    /// Whether refresh tokens can be revoked (default on).
    pub fn revocation_enabled(&self) -> bool {
        self.described.enable_token_revocation.unwrap_or(true)
    }

    /// How many minutes an auth session (a challenge's `Session`) lives.
    pub fn auth_session_minutes(&self) -> i64 {
        i64::from(self.described.auth_session_validity.unwrap_or(3))
    }

    /// Access token lifetime in seconds (default one hour).
    pub fn access_validity_secs(&self) -> i64 {
        let unit = self.unit(|u| u.access_token.as_ref());
        seconds(
            self.described.access_token_validity,
            unit,
            &TimeUnitsType::Hours,
            3600,
        )
    }

    /// Id token lifetime in seconds (default one hour).
    pub fn id_validity_secs(&self) -> i64 {
        let unit = self.unit(|u| u.id_token.as_ref());
        seconds(
            self.described.id_token_validity,
            unit,
            &TimeUnitsType::Hours,
            3600,
        )
    }

    /// Refresh token lifetime in seconds (default 30 days).
    pub fn refresh_validity_secs(&self) -> i64 {
        let unit = self.unit(|u| u.refresh_token.as_ref());
        seconds(
            self.described.refresh_token_validity,
            unit,
            &TimeUnitsType::Days,
            30 * 86_400,
        )
    }

    fn unit(
        &self,
        pick: impl Fn(&TokenValidityUnitsType) -> Option<&TimeUnitsType>,
    ) -> Option<&TimeUnitsType> {
        self.described.token_validity_units.as_ref().and_then(pick)
    }

    /// The `UserPoolClientType` of describe, create and update.
    pub fn describe(&self) -> UserPoolClientType {
        self.described.clone()
    }

    /// The `UserPoolClientDescription` of `ListUserPoolClients`.
    pub fn summary(&self) -> UserPoolClientDescription {
        UserPoolClientDescription {
            client_id: Some(self.id.clone()),
            user_pool_id: Some(self.pool_id.clone()),
            client_name: Some(self.name().to_owned()),
        }
    }

    /// When the client was created.
    pub fn created(&self) -> Timestamp {
        self.described.creation_date.unwrap_or_default()
    }
}

fn seconds(
    value: Option<i32>,
    unit: Option<&TimeUnitsType>,
    default_unit: &TimeUnitsType,
    default: i64,
) -> i64 {
    match value {
        Some(v) => to_seconds(i64::from(v), unit.unwrap_or(default_unit)),
        None => default,
    }
}

fn to_seconds(value: i64, unit: &TimeUnitsType) -> i64 {
    let per = match unit {
        TimeUnitsType::Seconds => 1,
        TimeUnitsType::Minutes => 60,
        TimeUnitsType::Hours => 3600,
        _ => 86_400,
    };
    value.saturating_mul(per)
}

/// The checks AWS makes beyond the model's constraints, with its messages, for a client
/// with a secret or not (`has_secret`). The checks against the pool's scopes and
/// providers are [`AppClient::check_oauth`]'s.
fn validate(c: &UserPoolClientType, has_secret: bool) -> CognitoResult<()> {
    validate_oauth(c, has_secret)?;
    if let Some(flows) = &c.explicit_auth_flows {
        let modern = flows
            .iter()
            .filter(|f| f.as_str().starts_with("ALLOW_"))
            .count();
        if modern != 0 && modern != flows.len() {
            return Err(CognitoError::InvalidParameterException(
                "ExplicitAuthFlows cannot have both ALLOW_ and legacy values".into(),
            ));
        }
    }
    let units = c.token_validity_units.clone().unwrap_or_default();
    for (value, unit, name) in [
        (
            c.access_token_validity,
            units.access_token.as_ref(),
            "AccessToken",
        ),
        (c.id_token_validity, units.id_token.as_ref(), "IdToken"),
    ] {
        if let Some(v) = value {
            let secs = to_seconds(i64::from(v), unit.unwrap_or(&TimeUnitsType::Hours));
            if !(300..=86_400).contains(&secs) {
                return Err(CognitoError::InvalidParameterException(format!(
                    "{name} validity must be between 5 minutes and 1 day."
                )));
            }
        }
    }
    if let Some(v) = c.refresh_token_validity.filter(|v| *v != 0) {
        let unit = units.refresh_token.as_ref().unwrap_or(&TimeUnitsType::Days);
        let secs = to_seconds(i64::from(v), unit);
        if !(3600..=10 * 365 * 86_400).contains(&secs) {
            return Err(CognitoError::InvalidParameterException(
                "RefreshToken validity must be between 60 minutes and 10 years.".into(),
            ));
        }
    }
    Ok(())
}

/// The OAuth 2.0 settings' own consistency: flows, scopes, callback and logout URLs.
fn validate_oauth(c: &UserPoolClientType, has_secret: bool) -> CognitoResult<()> {
    let flows = c.allowed_o_auth_flows.as_deref().unwrap_or_default();
    let scopes = c.allowed_o_auth_scopes.as_deref().unwrap_or_default();
    let callbacks = c.callback_urls.as_deref().unwrap_or_default();
    let machine = flows.contains(&OAuthFlowType::ClientCredentials);
    let browser = flows
        .iter()
        .any(|f| matches!(f, OAuthFlowType::Code | OAuthFlowType::Implicit));
    if machine && browser {
        return Err(CognitoError::InvalidOAuthFlowException(
            "client_credentials flow can not be selected along with code flow or implicit flow."
                .into(),
        ));
    }
    if machine && !has_secret {
        return Err(CognitoError::InvalidOAuthFlowException(
            "client_credentials flow can not be selected if client does not have a client secret."
                .into(),
        ));
    }
    if c.allowed_o_auth_flows_user_pool_client == Some(true) {
        if flows.is_empty() || scopes.is_empty() {
            return Err(CognitoError::InvalidParameterException(
                "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
                    .into(),
            ));
        }
        if browser && callbacks.is_empty() {
            return Err(CognitoError::InvalidOAuthFlowException(
                "CallbackUrls can not be empty when code flow or implicit flow is selected".into(),
            ));
        }
    }
    // A machine has no user: the scopes about one (openid, email, ...) mean nothing to
    // it, and AWS allows it only resource servers' scopes.
    if let Some(scope) = scopes
        .iter()
        .find(|s| machine && STANDARD_SCOPES.contains(&s.as_str()))
    {
        return Err(CognitoError::InvalidOAuthFlowException(format!(
            "{scope} is not supported with client_credentials flow"
        )));
    }
    let logouts = c.logout_urls.as_deref().unwrap_or_default();
    for url in callbacks.iter().chain(logouts) {
        check_redirect_url(url)?;
    }
    if let Some(default) = &c.default_redirect_uri {
        check_redirect_url(default)?;
        if !callbacks.contains(default) {
            return Err(CognitoError::InvalidParameterException(format!(
                "DefaultRedirectURI {default} must be one of the CallbackURLs."
            )));
        }
    }
    Ok(())
}

/// Checks a callback or logout URL as AWS does: absolute (an app's own scheme, such as
/// `myapp://signed-in`, is allowed), without a fragment, and over HTTPS unless it is
/// `http://localhost`, for testing.
fn check_redirect_url(url: &str) -> CognitoResult<()> {
    let invalid = || {
        CognitoError::InvalidParameterException(format!(
            "{url} is not a valid redirect URL: it must be an absolute URL, without a fragment."
        ))
    };
    let (scheme, rest) = url.split_once(':').ok_or_else(invalid)?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() || url.contains('#') {
        return Err(invalid());
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        let authority = rest
            .strip_prefix("//")
            .and_then(|r| r.split(['/', '?']).next())
            .ok_or_else(invalid)?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host_port.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => host_port,
        };
        if host.is_empty() {
            return Err(invalid());
        }
        if scheme == "http" && !host.eq_ignore_ascii_case("localhost") {
            return Err(CognitoError::InvalidParameterException(
                "HTTPS is required over HTTP except for http://localhost".into(),
            ));
        }
    }
    Ok(())
}
