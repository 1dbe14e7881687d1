//! A user pool: its settings as AWS reports them, and what behaviour reads from them
//! (password policy, message templates, sender, username attributes).
//!
//! `CreateUserPool` and `UpdateUserPool` share [`PoolSettings`]: on AWS an update
//! resets every settable member it does not name to the default, so both build the
//! settings the same way from their input.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::client::AppClient;
use super::error::{CognitoError, CognitoResult};
use super::schema;
use super::tokens::PoolKeys;
use super::user::User;

/// The default e-mail verification message, as AWS sends it.
pub const DEFAULT_EMAIL_MESSAGE: &str = "Your verification code is {####}. ";
/// The default e-mail verification subject.
pub const DEFAULT_EMAIL_SUBJECT: &str = "Your verification code";
/// The default invitation message for users an administrator creates.
pub const DEFAULT_INVITE_MESSAGE: &str =
    "Your username is {username} and temporary password is {####}. ";
/// The default invitation subject.
pub const DEFAULT_INVITE_SUBJECT: &str = "Your temporary password";
/// The sender of Cognito's own mail when the pool names no SES identity.
pub const DEFAULT_FROM: &str = "no-reply@verificationemail.com";

/// `Policies.PasswordPolicy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    /// Minimum number of characters.
    #[serde(default = "default_min_length")]
    pub minimum_length: u32,
    /// At least one upper-case letter.
    #[serde(default)]
    pub require_uppercase: bool,
    /// At least one lower-case letter.
    #[serde(default)]
    pub require_lowercase: bool,
    /// At least one digit.
    #[serde(default)]
    pub require_numbers: bool,
    /// At least one symbol.
    #[serde(default)]
    pub require_symbols: bool,
    /// How many previous passwords cannot be reused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<u32>,
    /// Days a temporary password stays usable.
    #[serde(default = "default_temporary_days")]
    pub temporary_password_validity_days: u32,
}

fn default_min_length() -> u32 {
    8
}
fn default_temporary_days() -> u32 {
    7
}

impl Default for PasswordPolicy {
    /// The policy of a pool created without one: everything required, 8 characters.
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: None,
            temporary_password_validity_days: 7,
        }
    }
}

/// `Policies`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    /// The password policy.
    #[serde(default)]
    pub password_policy: PasswordPolicy,
    /// Sign-in policy, kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<Value>,
}

/// `VerificationMessageTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    /// SMS text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// E-mail body with `{####}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// E-mail subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// E-mail body with `{##Verify Email##}` for link verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    /// Subject for link verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    /// `CONFIRM_WITH_CODE` (default) or `CONFIRM_WITH_LINK`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
}

/// `EmailConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfiguration {
    /// The SES identity ARN mail is sent from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    /// The Reply-To address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    /// `COGNITO_DEFAULT` (default) or `DEVELOPER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<String>,
    /// A display From (`Name <addr>`), DEVELOPER only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// SES configuration set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

/// `AdminCreateUserConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    /// Only administrators may create users.
    #[serde(default)]
    pub allow_admin_create_user_only: bool,
    /// Kept for compatibility: AWS reports it, equal to the temporary password validity.
    #[serde(default = "default_temporary_days")]
    pub unused_account_validity_days: u32,
    /// The invitation's templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<InviteMessageTemplate>,
}

impl Default for AdminCreateUserConfig {
    fn default() -> Self {
        Self {
            allow_admin_create_user_only: false,
            unused_account_validity_days: 7,
            invite_message_template: None,
        }
    }
}

/// `AdminCreateUserConfig.InviteMessageTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InviteMessageTemplate {
    /// SMS text.
    #[serde(
        default,
        rename = "SMSMessage",
        skip_serializing_if = "Option::is_none"
    )]
    pub sms_message: Option<String>,
    /// E-mail body with `{username}` and `{####}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// E-mail subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

/// The settable members of a pool: the input of `CreateUserPool` and `UpdateUserPool`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PoolSettings {
    pub policies: Option<Policies>,
    pub deletion_protection: Option<String>,
    pub lambda_config: Option<Value>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub sms_verification_message: Option<String>,
    pub email_verification_message: Option<String>,
    pub email_verification_subject: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplate>,
    pub sms_authentication_message: Option<String>,
    pub user_attribute_update_settings: Option<Value>,
    pub mfa_configuration: Option<String>,
    pub device_configuration: Option<Value>,
    pub email_configuration: Option<EmailConfiguration>,
    pub sms_configuration: Option<Value>,
    pub user_pool_tags: Option<BTreeMap<String, String>>,
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    pub user_pool_add_ons: Option<Value>,
    pub account_recovery_setting: Option<Value>,
    pub user_pool_tier: Option<String>,
}

/// Members only `CreateUserPool` sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PoolIdentity {
    pub alias_attributes: Option<Vec<String>>,
    pub username_attributes: Option<Vec<String>>,
    pub schema: Option<Vec<Value>>,
    pub username_configuration: Option<Value>,
}

/// One user pool with its clients and users.
#[derive(Debug)]
pub struct UserPool {
    /// `REGION_xxxxxxxxx`.
    pub id: String,
    /// The pool's name.
    pub name: String,
    /// The region the pool lives in.
    pub region: String,
    /// `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`.
    pub arn: String,
    /// Epoch seconds.
    pub created: f64,
    /// Epoch seconds.
    pub modified: f64,
    /// Settable members, with defaults applied where behaviour needs them.
    pub settings: PoolSettings,
    /// Members fixed at creation.
    pub identity: PoolIdentity,
    /// Standard and custom attributes.
    pub schema: Vec<Value>,
    /// App clients by id.
    pub clients: BTreeMap<String, AppClient>,
    /// Users by username. Add and remove them with [`UserPool::add_user`] and
    /// [`UserPool::remove_user`], and call [`UserPool::reindex`] after changing an
    /// e-mail address, so the indexes below stay true.
    pub users: BTreeMap<String, User>,
    /// Usernames by lower-cased e-mail address: sign-in by address without a scan.
    by_email: HashMap<String, BTreeSet<String>>,
    /// Usernames by `sub`.
    by_sub: HashMap<String, String>,
    /// The address each username is indexed under, to unindex it without a scan.
    indexed_email: HashMap<String, String>,
    /// Signing keys, made on first use: key generation is slow and many pools never
    /// issue a token.
    pub keys: Arc<OnceLock<PoolKeys>>,
}

impl UserPool {
    /// A new pool; validates the settings as AWS does.
    pub fn new(
        id: String,
        name: String,
        region: &str,
        account_id: &str,
        now: f64,
        settings: PoolSettings,
        identity: PoolIdentity,
    ) -> CognitoResult<Self> {
        validate(&settings, &identity)?;
        let schema = schema::pool_schema(identity.schema.as_deref().unwrap_or_default())?;
        Ok(Self {
            arn: format!("arn:aws:cognito-idp:{region}:{account_id}:userpool/{id}"),
            id,
            name,
            region: region.to_owned(),
            created: now,
            modified: now,
            settings,
            identity,
            schema,
            clients: BTreeMap::new(),
            users: BTreeMap::new(),
            by_email: HashMap::new(),
            by_sub: HashMap::new(),
            indexed_email: HashMap::new(),
            keys: Arc::default(),
        })
    }

    /// Replaces the settable members (`UpdateUserPool`).
    pub fn update(&mut self, settings: PoolSettings, now: f64) -> CognitoResult<()> {
        validate(&settings, &self.identity)?;
        self.settings = settings;
        self.modified = now;
        Ok(())
    }

    /// The password policy in force.
    pub fn password_policy(&self) -> PasswordPolicy {
        self.settings
            .policies
            .as_ref()
            .map(|p| p.password_policy.clone())
            .unwrap_or_default()
    }

    /// Whether users sign in with their e-mail address as the username.
    pub fn email_is_username(&self) -> bool {
        has(&self.identity.username_attributes, "email")
    }

    /// Whether the e-mail address may be used in place of the username.
    pub fn email_is_alias(&self) -> bool {
        self.email_is_username() || has(&self.identity.alias_attributes, "email")
    }

    /// Whether Cognito verifies e-mail addresses at sign-up.
    pub fn auto_verifies_email(&self) -> bool {
        has(&self.settings.auto_verified_attributes, "email")
    }

    /// Whether deletion protection is on.
    pub fn deletion_protected(&self) -> bool {
        self.settings.deletion_protection.as_deref() == Some("ACTIVE")
    }

    /// The subject and body templates of the verification mail.
    pub fn verification_templates(&self) -> (String, String) {
        let t = self.settings.verification_message_template.as_ref();
        let subject = t
            .and_then(|t| t.email_subject.clone())
            .or_else(|| self.settings.email_verification_subject.clone())
            .unwrap_or_else(|| DEFAULT_EMAIL_SUBJECT.to_owned());
        let body = t
            .and_then(|t| t.email_message.clone())
            .or_else(|| self.settings.email_verification_message.clone())
            .unwrap_or_else(|| DEFAULT_EMAIL_MESSAGE.to_owned());
        (subject, body)
    }

    /// The subject and body templates of the invitation an administrator's new user gets.
    pub fn invitation_templates(&self) -> (String, String) {
        let t = self
            .settings
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.invite_message_template.as_ref());
        let subject = t
            .and_then(|t| t.email_subject.clone())
            .unwrap_or_else(|| DEFAULT_INVITE_SUBJECT.to_owned());
        let body = t
            .and_then(|t| t.email_message.clone())
            .unwrap_or_else(|| DEFAULT_INVITE_MESSAGE.to_owned());
        (subject, body)
    }

    /// The From address of Cognito's mail: the SES identity named by `SourceArn`, or
    /// Cognito's own sender.
    pub fn mail_from(&self) -> String {
        let config = self.settings.email_configuration.as_ref();
        if let Some(from) = config.and_then(|c| c.from.clone()) {
            return from;
        }
        config
            .and_then(|c| c.source_arn.as_deref())
            .and_then(|arn| arn.split_once(":identity/").map(|(_, id)| id.to_owned()))
            .filter(|id| id.contains('@'))
            .unwrap_or_else(|| DEFAULT_FROM.to_owned())
    }

    /// The Reply-To address of Cognito's mail.
    pub fn reply_to(&self) -> Option<String> {
        self.settings
            .email_configuration
            .as_ref()
            .and_then(|c| c.reply_to_email_address.clone())
    }

    /// How long a temporary password lives, in seconds.
    pub fn temporary_password_validity_secs(&self) -> i64 {
        i64::from(self.password_policy().temporary_password_validity_days) * 86_400
    }

    /// The `UserPoolType` of `DescribeUserPool` and `CreateUserPool`.
    pub fn describe(&self) -> Value {
        let s = &self.settings;
        let mut template = s.verification_message_template.clone().unwrap_or_default();
        if template.email_message.is_none() {
            template.email_message = s.email_verification_message.clone();
        }
        if template.email_subject.is_none() {
            template.email_subject = s.email_verification_subject.clone();
        }
        if template.sms_message.is_none() {
            template.sms_message = s.sms_verification_message.clone();
        }
        template
            .default_email_option
            .get_or_insert_with(|| "CONFIRM_WITH_CODE".to_owned());
        let mut email = s.email_configuration.clone().unwrap_or_default();
        email
            .email_sending_account
            .get_or_insert_with(|| "COGNITO_DEFAULT".to_owned());

        let mut out = Map::new();
        let mut put = |k: &str, v: Value| {
            out.insert(k.to_owned(), v);
        };
        put("Id", json!(self.id));
        put("Name", json!(self.name));
        put(
            "Policies",
            to_value(&s.policies.clone().unwrap_or_default()),
        );
        put(
            "DeletionProtection",
            json!(s.deletion_protection.as_deref().unwrap_or("INACTIVE")),
        );
        put(
            "LambdaConfig",
            s.lambda_config.clone().unwrap_or_else(|| json!({})),
        );
        put("LastModifiedDate", json!(self.modified));
        put("CreationDate", json!(self.created));
        put("SchemaAttributes", Value::Array(self.schema.clone()));
        if let Some(v) = &s.auto_verified_attributes {
            put("AutoVerifiedAttributes", json!(v));
        }
        if let Some(v) = &self.identity.alias_attributes {
            put("AliasAttributes", json!(v));
        }
        if let Some(v) = &self.identity.username_attributes {
            put("UsernameAttributes", json!(v));
        }
        if let Some(v) = &template.sms_message {
            put("SmsVerificationMessage", json!(v));
        }
        if let Some(v) = &template.email_message {
            put("EmailVerificationMessage", json!(v));
        }
        if let Some(v) = &template.email_subject {
            put("EmailVerificationSubject", json!(v));
        }
        put("VerificationMessageTemplate", to_value(&template));
        if let Some(v) = &s.sms_authentication_message {
            put("SmsAuthenticationMessage", json!(v));
        }
        put(
            "UserAttributeUpdateSettings",
            s.user_attribute_update_settings
                .clone()
                .unwrap_or_else(|| json!({"AttributesRequireVerificationBeforeUpdate": []})),
        );
        put(
            "MfaConfiguration",
            json!(s.mfa_configuration.as_deref().unwrap_or("OFF")),
        );
        if let Some(v) = &s.device_configuration {
            put("DeviceConfiguration", v.clone());
        }
        put("EstimatedNumberOfUsers", json!(self.users.len()));
        put("EmailConfiguration", to_value(&email));
        if let Some(v) = &s.sms_configuration {
            put("SmsConfiguration", v.clone());
        }
        put(
            "UserPoolTags",
            json!(s.user_pool_tags.clone().unwrap_or_default()),
        );
        put(
            "AdminCreateUserConfig",
            to_value(&s.admin_create_user_config.clone().unwrap_or_default()),
        );
        if let Some(v) = &s.user_pool_add_ons {
            put("UserPoolAddOns", v.clone());
        }
        if let Some(v) = &self.identity.username_configuration {
            put("UsernameConfiguration", v.clone());
        }
        put("Arn", json!(self.arn));
        if let Some(v) = &s.account_recovery_setting {
            put("AccountRecoverySetting", v.clone());
        }
        put(
            "UserPoolTier",
            json!(s.user_pool_tier.as_deref().unwrap_or("ESSENTIALS")),
        );
        Value::Object(out)
    }

    /// The `UserPoolDescriptionType` of `ListUserPools`.
    pub fn summary(&self) -> Value {
        json!({
            "Id": self.id,
            "Name": self.name,
            "LambdaConfig": self.settings.lambda_config.clone().unwrap_or_else(|| json!({})),
            "LastModifiedDate": self.modified,
            "CreationDate": self.created,
        })
    }

    /// The username under which `name` is stored: the username itself, or the user whose
    /// e-mail it is when e-mail is an alias or the username, or the user whose `sub` it is.
    pub fn find_username(&self, name: &str) -> Option<String> {
        if self.users.contains_key(name) {
            return Some(name.to_owned());
        }
        if let Some(username) = self.by_sub.get(name) {
            return Some(username.clone());
        }
        if !(self.email_is_alias() && name.contains('@')) {
            return None;
        }
        self.by_email
            .get(&name.to_lowercase())?
            .iter()
            .find(|username| {
                self.users
                    .get(*username)
                    .is_some_and(|u| self.email_is_username() || u.email_verified())
            })
            .cloned()
    }

    /// Adds `user` under its username.
    pub fn add_user(&mut self, user: User) {
        let username = user.username.clone();
        self.by_sub.insert(user.sub.clone(), username.clone());
        self.users.insert(username.clone(), user);
        self.reindex(&username);
    }

    /// Removes the user stored as `username`.
    pub fn remove_user(&mut self, username: &str) -> Option<User> {
        let user = self.users.remove(username)?;
        self.by_sub.remove(&user.sub);
        self.unindex_email(username);
        Some(user)
    }

    /// Brings the e-mail index up to date after the user's attributes changed.
    pub fn reindex(&mut self, username: &str) {
        self.unindex_email(username);
        let email = self.users.get(username).and_then(|u| u.attribute("email"));
        if let Some(email) = email.map(str::to_lowercase) {
            self.by_email
                .entry(email.clone())
                .or_default()
                .insert(username.to_owned());
            self.indexed_email.insert(username.to_owned(), email);
        }
    }

    fn unindex_email(&mut self, username: &str) {
        let Some(email) = self.indexed_email.remove(username) else {
            return;
        };
        if let Some(names) = self.by_email.get_mut(&email) {
            names.remove(username);
            if names.is_empty() {
                self.by_email.remove(&email);
            }
        }
    }

    /// The user called `name` (see [`UserPool::find_username`]).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.find_username(name).and_then(|k| self.users.get(&k))
    }

    /// The user called `name`, to change.
    pub fn user_mut(&mut self, name: &str) -> Option<&mut User> {
        let key = self.find_username(name)?;
        self.users.get_mut(&key)
    }

    /// The client `client_id`, or AWS's error.
    pub fn client(&self, client_id: &str) -> CognitoResult<&AppClient> {
        self.clients
            .get(client_id)
            .ok_or_else(|| CognitoError::client_not_found(client_id))
    }
}

fn has(list: &Option<Vec<String>>, item: &str) -> bool {
    list.as_ref().is_some_and(|l| l.iter().any(|a| a == item))
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The checks AWS makes on a pool's settings, with its messages.
fn validate(settings: &PoolSettings, identity: &PoolIdentity) -> CognitoResult<()> {
    if identity.alias_attributes.is_some() && identity.username_attributes.is_some() {
        return Err(CognitoError::InvalidParameterException(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool"
                .into(),
        ));
    }
    for attr in identity.username_attributes.iter().flatten() {
        if attr != "email" && attr != "phone_number" {
            return Err(CognitoError::validation(
                "usernameAttributes",
                Some(&format!("[{attr}]")),
                "Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]",
            ));
        }
    }
    for attr in settings.auto_verified_attributes.iter().flatten() {
        if attr != "email" && attr != "phone_number" {
            return Err(CognitoError::validation(
                "autoVerifiedAttributes",
                Some(&format!("[{attr}]")),
                "Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]",
            ));
        }
    }
    if let Some(p) = settings.policies.as_ref().map(|p| &p.password_policy) {
        if !(6..=99).contains(&p.minimum_length) {
            return Err(CognitoError::InvalidParameterException(
                "Password policy MinimumLength must be between 6 and 99".into(),
            ));
        }
    }
    let template = settings.verification_message_template.as_ref();
    let message = template
        .and_then(|t| t.email_message.as_deref())
        .or(settings.email_verification_message.as_deref());
    if let Some(m) = message {
        if !m.contains("{####}") {
            return Err(CognitoError::InvalidParameterException(
                "Invalid email message: It must contain the placeholder {####}".into(),
            ));
        }
    }
    let invite = settings
        .admin_create_user_config
        .as_ref()
        .and_then(|c| c.invite_message_template.as_ref())
        .and_then(|t| t.email_message.as_deref());
    if let Some(m) = invite {
        if !m.contains("{####}") || !m.contains("{username}") {
            return Err(CognitoError::InvalidParameterException(
                "Invalid invite message: It must contain the placeholders {username} and {####}"
                    .into(),
            ));
        }
    }
    if let Some(c) = &settings.email_configuration {
        if let Some(account) = &c.email_sending_account {
            if account != "COGNITO_DEFAULT" && account != "DEVELOPER" {
                return Err(CognitoError::validation(
                    "emailConfiguration.emailSendingAccount",
                    Some(account),
                    "Member must satisfy enum value set: [COGNITO_DEFAULT, DEVELOPER]",
                ));
            }
        }
        if let Some(arn) = &c.source_arn {
            if !arn.starts_with("arn:aws:ses:") || !arn.contains(":identity/") {
                return Err(CognitoError::InvalidParameterException(format!(
                    "Invalid SourceArn: {arn}"
                )));
            }
        }
    }
    Ok(())
}
