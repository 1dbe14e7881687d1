//! A user pool: its settings as AWS reports them, its users with their indexes, and what
//! behaviour reads from the settings (password policy, message templates, sender,
//! username attributes).
//!
//! `CreateUserPool` and `UpdateUserPool` share [`PoolSettings`]: on AWS an update resets
//! every settable member it does not name to the default, so both build the settings the
//! same way from their input.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use super::attribute_index::AttributeIndex;
use super::claim_context::ClaimContext;
use super::client::AppClient;
use super::error::{CognitoError, CognitoResult};
use super::group::{Group, Memberships};
use super::mfa::PoolMfa;
use super::oauth_setup::PoolOAuth;
use super::schema;
use super::tokens::PoolKeys;
use super::user::User;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

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

/// The password policy of a pool created without one: everything required, 8 characters.
pub fn default_password_policy() -> PasswordPolicyType {
    PasswordPolicyType {
        minimum_length: Some(8),
        require_uppercase: Some(true),
        require_lowercase: Some(true),
        require_numbers: Some(true),
        require_symbols: Some(true),
        password_history_size: None,
        temporary_password_validity_days: Some(7),
    }
}

/// Moves the members that `CreateUserPool` and `UpdateUserPool` share out of `$input`.
macro_rules! settings_of {
    ($input:expr) => {
        PoolSettings {
            policies: $input.policies,
            deletion_protection: $input.deletion_protection,
            lambda_config: $input.lambda_config,
            auto_verified_attributes: $input.auto_verified_attributes,
            sms_verification_message: $input.sms_verification_message,
            email_verification_message: $input.email_verification_message,
            email_verification_subject: $input.email_verification_subject,
            verification_message_template: $input.verification_message_template,
            sms_authentication_message: $input.sms_authentication_message,
            user_attribute_update_settings: $input.user_attribute_update_settings,
            mfa_configuration: $input.mfa_configuration,
            device_configuration: $input.device_configuration,
            email_configuration: $input.email_configuration,
            sms_configuration: $input.sms_configuration,
            user_pool_tags: $input.user_pool_tags,
            admin_create_user_config: $input.admin_create_user_config,
            user_pool_add_ons: $input.user_pool_add_ons,
            account_recovery_setting: $input.account_recovery_setting,
            user_pool_tier: $input.user_pool_tier,
        }
    };
}

/// The settable members of a pool, as last given.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub struct PoolSettings {
    pub policies: Option<UserPoolPolicyType>,
    pub deletion_protection: Option<DeletionProtectionType>,
    pub lambda_config: Option<LambdaConfigType>,
    pub auto_verified_attributes: Option<Vec<VerifiedAttributeType>>,
    pub sms_verification_message: Option<String>,
    pub email_verification_message: Option<String>,
    pub email_verification_subject: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplateType>,
    pub sms_authentication_message: Option<String>,
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettingsType>,
    pub mfa_configuration: Option<UserPoolMfaType>,
    pub device_configuration: Option<DeviceConfigurationType>,
    pub email_configuration: Option<EmailConfigurationType>,
    pub sms_configuration: Option<SmsConfigurationType>,
    pub user_pool_tags: Option<BTreeMap<String, String>>,
    pub admin_create_user_config: Option<AdminCreateUserConfigType>,
    pub user_pool_add_ons: Option<UserPoolAddOnsType>,
    pub account_recovery_setting: Option<AccountRecoverySettingType>,
    pub user_pool_tier: Option<UserPoolTierType>,
}

impl PoolSettings {
    /// The settings a `CreateUserPool` asks for.
    pub fn of_create(input: CreateUserPoolRequest) -> Self {
        settings_of!(input)
    }

    /// The settings an `UpdateUserPool` asks for.
    pub fn of_update(input: UpdateUserPoolRequest) -> Self {
        settings_of!(input)
    }
}

/// Members fixed at creation.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub struct PoolIdentity {
    pub alias_attributes: Option<Vec<AliasAttributeType>>,
    pub username_attributes: Option<Vec<UsernameAttributeType>>,
    pub username_configuration: Option<UsernameConfigurationType>,
}

/// One user pool with its clients and users.
///
/// Serialised (for the journal and snapshots) without its users, indexes and keys:
/// users are written one by one as they change, keys once when made.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct UserPool {
    /// `REGION_xxxxxxxxx`.
    pub id: String,
    /// The pool's name.
    pub name: String,
    /// The region the pool lives in.
    pub region: String,
    /// `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`.
    pub arn: String,
    /// When it was created.
    pub created: Timestamp,
    /// When it was last changed.
    pub modified: Timestamp,
    /// Settable members.
    pub settings: PoolSettings,
    /// Members fixed at creation.
    pub identity: PoolIdentity,
    /// Standard and custom attributes.
    pub schema: Vec<SchemaAttributeType>,
    /// App clients by id.
    pub clients: BTreeMap<String, AppClient>,
    /// Users by stored username. Private: every change goes through methods that keep
    /// the indexes below, and the groups' member lists, true.
    #[serde(skip)]
    /// Boxed: a user is several hundred bytes, and B-tree nodes are half to two-thirds
    /// full, so unboxed values would leave that much unused beside each user.
    users: BTreeMap<String, Box<User>>,
    /// Usernames by e-mail address: sign-in by address without a scan.
    #[serde(skip)]
    emails: AttributeIndex,
    /// Usernames by phone number, likewise.
    #[serde(skip)]
    phones: AttributeIndex,
    /// Usernames by `sub`, for users whose username is not their `sub`.
    #[serde(skip)]
    by_sub: HashMap<String, String>,
    /// Users added, changed or removed since the journal last took them.
    #[serde(skip)]
    changed_users: BTreeSet<String>,
    /// MFA factors offered, beyond `settings.mfa_configuration`.
    pub mfa: PoolMfa,
    /// Groups by name.
    groups: BTreeMap<String, Group>,
    /// Signing keys, made on first use: key generation is slow and many pools never
    /// issue a token.
    #[serde(skip)]
    pub keys: Arc<OnceLock<PoolKeys>>,
    /// Domain, resource servers and identity providers.
    pub oauth: PoolOAuth,
}

impl UserPool {
    /// A new pool from `CreateUserPool`'s input; checks the settings and schema as AWS
    /// does.
    pub fn new(
        id: String,
        region: &str,
        account_id: &str,
        now: Timestamp,
        mut input: CreateUserPoolRequest,
    ) -> CognitoResult<Self> {
        let identity = PoolIdentity {
            alias_attributes: input.alias_attributes.take(),
            username_attributes: input.username_attributes.take(),
            username_configuration: input.username_configuration.take(),
        };
        let custom = input.schema.take().unwrap_or_default();
        let name = input.pool_name.take().unwrap_or_default();
        let settings = PoolSettings::of_create(input);
        validate(&settings, &identity)?;
        let schema = schema::pool_schema(&custom)?;
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
            emails: AttributeIndex::default(),
            phones: AttributeIndex::default(),
            by_sub: HashMap::new(),
            changed_users: BTreeSet::new(),
            mfa: PoolMfa::default(),
            groups: BTreeMap::new(),
            keys: Arc::default(),
            oauth: PoolOAuth::default(),
        })
    }

    /// Replaces the settable members (`UpdateUserPool`).
    pub fn update(&mut self, settings: PoolSettings, now: Timestamp) -> CognitoResult<()> {
        validate(&settings, &self.identity)?;
        self.settings = settings;
        self.modified = now;
        Ok(())
    }

    /// The password policy in force, with AWS's defaults for what it leaves out.
    pub fn password_policy(&self) -> PasswordPolicyType {
        let given = self
            .settings
            .policies
            .as_ref()
            .and_then(|p| p.password_policy.clone());
        let Some(given) = given else {
            return default_password_policy();
        };
        PasswordPolicyType {
            minimum_length: given.minimum_length.or(Some(8)),
            require_uppercase: given.require_uppercase.or(Some(false)),
            require_lowercase: given.require_lowercase.or(Some(false)),
            require_numbers: given.require_numbers.or(Some(false)),
            require_symbols: given.require_symbols.or(Some(false)),
            password_history_size: given.password_history_size,
            temporary_password_validity_days: given.temporary_password_validity_days.or(Some(7)),
        }
    }

    /// Whether users sign in with their e-mail address as the username.
    pub fn email_is_username(&self) -> bool {
        self.identity
            .username_attributes
            .iter()
            .flatten()
            .any(|a| *a == UsernameAttributeType::Email)
    }

    /// Whether the e-mail address may be used in place of the username.
    pub fn email_is_alias(&self) -> bool {
        self.email_is_username() || self.has_alias(&AliasAttributeType::Email)
    }

    /// Whether users sign in with their phone number as the username.
    pub fn phone_is_username(&self) -> bool {
        self.identity
            .username_attributes
            .iter()
            .flatten()
            .any(|a| *a == UsernameAttributeType::PhoneNumber)
    }

    /// Whether the phone number may be used in place of the username.
    pub fn phone_is_alias(&self) -> bool {
        self.phone_is_username() || self.has_alias(&AliasAttributeType::PhoneNumber)
    }

    fn has_alias(&self, alias: &AliasAttributeType) -> bool {
        self.identity
            .alias_attributes
            .iter()
            .flatten()
            .any(|a| a == alias)
    }

    /// Whether a changed `attribute` (`email`, `phone_number`) waits for its verification
    /// before it replaces the old value (`AttributesRequireVerificationBeforeUpdate`).
    pub fn verifies_before_update(&self, attribute: &str) -> bool {
        self.settings
            .user_attribute_update_settings
            .as_ref()
            .and_then(|s| s.attributes_require_verification_before_update.as_ref())
            .is_some_and(|list| list.iter().any(|a| a.as_str() == attribute))
    }

    /// Whether only an administrator may reset passwords (`AccountRecoverySetting` names
    /// `admin_only` and nothing else).
    pub fn recovery_is_admin_only(&self) -> bool {
        let mechanisms = self
            .settings
            .account_recovery_setting
            .as_ref()
            .and_then(|s| s.recovery_mechanisms.as_deref())
            .unwrap_or_default();
        !mechanisms.is_empty()
            && mechanisms
                .iter()
                .all(|m| m.name == Some(RecoveryOptionNameType::AdminOnly))
    }

    /// Whether Cognito verifies e-mail addresses at sign-up.
    pub fn auto_verifies_email(&self) -> bool {
        self.settings
            .auto_verified_attributes
            .iter()
            .flatten()
            .any(|a| *a == VerifiedAttributeType::Email)
    }

    /// Whether deletion protection is on.
    pub fn deletion_protected(&self) -> bool {
        self.settings.deletion_protection == Some(DeletionProtectionType::Active)
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
        i64::from(
            self.password_policy()
                .temporary_password_validity_days
                .unwrap_or(7),
        ) * 86_400
    }

    /// The `UserPoolType` of `DescribeUserPool` and `CreateUserPool`.
    pub fn describe(&self) -> UserPoolType {
        let s = self.settings.clone();
        let mut template = s.verification_message_template.unwrap_or_default();
        template.email_message = template
            .email_message
            .or_else(|| s.email_verification_message.clone());
        template.email_subject = template
            .email_subject
            .or_else(|| s.email_verification_subject.clone());
        template.sms_message = template
            .sms_message
            .or_else(|| s.sms_verification_message.clone());
        template
            .default_email_option
            .get_or_insert(DefaultEmailOptionType::ConfirmWithCode);
        let mut email = s.email_configuration.unwrap_or_default();
        email
            .email_sending_account
            .get_or_insert(EmailSendingAccountType::CognitoDefault);
        let mut policies = s.policies.unwrap_or_default();
        policies.password_policy = Some(self.password_policy());
        let mut admin = s.admin_create_user_config.unwrap_or_default();
        admin.allow_admin_create_user_only.get_or_insert(false);
        admin.unused_account_validity_days.get_or_insert(
            self.password_policy()
                .temporary_password_validity_days
                .unwrap_or(7),
        );
        UserPoolType {
            id: Some(self.id.clone()),
            name: Some(self.name.clone()),
            policies: Some(policies),
            deletion_protection: Some(
                s.deletion_protection
                    .unwrap_or(DeletionProtectionType::Inactive),
            ),
            lambda_config: Some(s.lambda_config.unwrap_or_default()),
            last_modified_date: Some(self.modified),
            creation_date: Some(self.created),
            schema_attributes: Some(self.schema.clone()),
            auto_verified_attributes: s.auto_verified_attributes,
            alias_attributes: self.identity.alias_attributes.clone(),
            username_attributes: self.identity.username_attributes.clone(),
            sms_verification_message: template.sms_message.clone(),
            email_verification_message: template.email_message.clone(),
            email_verification_subject: template.email_subject.clone(),
            verification_message_template: Some(template),
            sms_authentication_message: s.sms_authentication_message,
            user_attribute_update_settings: Some(s.user_attribute_update_settings.unwrap_or(
                UserAttributeUpdateSettingsType {
                    attributes_require_verification_before_update: Some(Vec::new()),
                },
            )),
            mfa_configuration: Some(s.mfa_configuration.unwrap_or(UserPoolMfaType::Off)),
            device_configuration: s.device_configuration,
            estimated_number_of_users: Some(self.users.len() as i32),
            email_configuration: Some(email),
            sms_configuration: s.sms_configuration,
            user_pool_tags: Some(s.user_pool_tags.unwrap_or_default()),
            admin_create_user_config: Some(admin),
            user_pool_add_ons: s.user_pool_add_ons,
            username_configuration: self.identity.username_configuration.clone(),
            arn: Some(self.arn.clone()),
            account_recovery_setting: s.account_recovery_setting,
            user_pool_tier: Some(s.user_pool_tier.unwrap_or(UserPoolTierType::Essentials)),
            domain: self.oauth.prefix_domain().map(str::to_owned),
            custom_domain: self.oauth.custom_domain().map(str::to_owned),
            ..UserPoolType::default()
        }
    }

    /// The `UserPoolDescriptionType` of `ListUserPools`.
    pub fn summary(&self) -> UserPoolDescriptionType {
        UserPoolDescriptionType {
            id: Some(self.id.clone()),
            name: Some(self.name.clone()),
            lambda_config: Some(self.settings.lambda_config.clone().unwrap_or_default()),
            last_modified_date: Some(self.modified),
            creation_date: Some(self.created),
            ..UserPoolDescriptionType::default()
        }
    }

    /// Adds custom attributes to the schema (`AddCustomAttributes`).
    pub fn add_custom_attributes(
        &mut self,
        added: &[SchemaAttributeType],
        now: Timestamp,
    ) -> CognitoResult<()> {
        schema::add_custom(&mut self.schema, added)?;
        self.modified = now;
        Ok(())
    }

    /// Whether `name` is an attribute of this pool's schema.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.schema_attribute(name).is_some()
    }

    /// Attribute `name` of this pool's schema.
    pub fn schema_attribute(&self, name: &str) -> Option<&SchemaAttributeType> {
        self.schema.iter().find(|a| a.name.as_deref() == Some(name))
    }

    /// The username under which `name` is stored: the username itself, the user whose
    /// `sub` it is, or the user whose e-mail address or phone number it is when that is
    /// an alias or the username.
    pub fn find_username(&self, name: &str) -> Option<String> {
        if self.users.contains_key(name) {
            return Some(name.to_owned());
        }
        if let Some(username) = self.by_sub.get(name) {
            return Some(username.clone());
        }
        let holder = if name.contains('@') && self.email_is_alias() {
            self.alias_holders("email", name).first().copied()
        } else if name.starts_with('+') && self.phone_is_alias() {
            self.alias_holders("phone_number", name).first().copied()
        } else {
            None
        };
        holder.map(|u| u.username.clone())
    }

    /// The users whom `value` of `attribute` (`email` or `phone_number`) signs in: where
    /// it is the username, every holder; otherwise the holders who verified it. Whether
    /// the attribute signs anyone in at all is for the callers to check.
    fn alias_holders(&self, attribute: &str, value: &str) -> Vec<&User> {
        let (index, is_username, verified) = match attribute {
            "phone_number" => (
                &self.phones,
                self.phone_is_username(),
                "phone_number_verified",
            ),
            _ => (&self.emails, self.email_is_username(), "email_verified"),
        };
        index
            .holders(value)
            .filter_map(|username| self.users.get(username).map(|u| &**u))
            .filter(|u| {
                is_username
                    || u.attribute(verified)
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            })
            .collect()
    }

    /// Whether another user than `except` already signs in with `value` of `attribute`
    /// (`email`, `phone_number`): any holder where it is the username, a holder who
    /// verified it where it is an alias. Giving it to a second user is an
    /// `AliasExistsException`.
    pub fn alias_taken(&self, attribute: &str, value: &str, except: &str) -> bool {
        let alias = match attribute {
            "email" => self.email_is_alias(),
            "phone_number" => self.phone_is_alias(),
            _ => false,
        };
        alias
            && self
                .alias_holders(attribute, value)
                .iter()
                .any(|u| u.username != except)
    }

    /// The users, in stored-username order.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values().map(|u| &**u)
    }

    /// Adds `user` under its username.
    pub fn add_user(&mut self, user: User) {
        let username = user.username.clone();
        self.changed_users.insert(username.clone());
        // Where the username is the `sub` (e-mail or phone as the username) the users map
        // finds it already: no second copy of both strings.
        if user.sub != username {
            self.by_sub.insert(user.sub.clone(), username.clone());
        }
        self.users.insert(username.clone(), Box::new(user));
        self.reindex(&username);
    }

    /// Removes the user stored as `username`, with their group memberships.
    pub fn remove_user(&mut self, username: &str) -> Option<User> {
        let user = *self.users.remove(username)?;
        self.changed_users.insert(username.to_owned());
        self.by_sub.remove(&user.sub);
        self.emails.remove(username);
        self.phones.remove(username);
        for group in self.groups.values_mut() {
            group.members.remove(username);
        }
        Some(user)
    }

    /// The user stored as `username` (a key from [`UserPool::find_username`]).
    pub fn stored_user(&self, username: &str) -> Option<&User> {
        self.users.get(username).map(|u| &**u)
    }

    /// Changes the user stored as `username` with `change`, then brings the indexes up to
    /// date (the change may have set a new e-mail address).
    pub fn edit_user<R>(
        &mut self,
        username: &str,
        change: impl FnOnce(&mut User) -> R,
    ) -> Option<R> {
        let result = change(self.users.get_mut(username)?);
        self.changed_users.insert(username.to_owned());
        self.reindex(username);
        Some(result)
    }

    /// The usernames of users added, changed or removed since the last call.
    pub fn take_changed_users(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.changed_users)
    }

    /// Takes the users, indexes and keys of `old`, the same pool before its settings were
    /// replaced by a journal record or an import.
    pub fn adopt_users(&mut self, old: UserPool) {
        self.users = old.users;
        self.emails = old.emails;
        self.phones = old.phones;
        self.by_sub = old.by_sub;
        self.keys = old.keys;
    }

    fn reindex(&mut self, username: &str) {
        let user = self.users.get(username).map(|u| &**u);
        self.emails
            .set(username, user.and_then(|u| u.attribute("email")));
        self.phones
            .set(username, user.and_then(|u| u.attribute("phone_number")));
    }

    /// The user called `name` (see [`UserPool::find_username`]).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.find_username(name)
            .and_then(|k| self.users.get(&k))
            .map(|u| &**u)
    }

    /// The client `client_id`, or AWS's error.
    pub fn client(&self, client_id: &str) -> CognitoResult<&AppClient> {
        self.clients
            .get(client_id)
            .ok_or_else(|| CognitoError::client_not_found(client_id))
    }

    /// The groups, by name.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// The group `name`, or AWS's error.
    pub fn group(&self, name: &str) -> CognitoResult<&Group> {
        self.groups
            .get(name)
            .ok_or_else(CognitoError::group_not_found)
    }

    /// The group `name`, to change.
    pub fn group_mut(&mut self, name: &str) -> CognitoResult<&mut Group> {
        self.groups
            .get_mut(name)
            .ok_or_else(CognitoError::group_not_found)
    }

    /// Adds `group`, unless one of its name exists.
    pub fn insert_group(&mut self, group: Group) -> CognitoResult<()> {
        if self.groups.contains_key(&group.name) {
            return Err(CognitoError::GroupExistsException(
                "A group with the name already exists.".into(),
            ));
        }
        self.groups.insert(group.name.clone(), group);
        Ok(())
    }

    /// Removes group `name`, and with it its memberships.
    pub fn remove_group(&mut self, name: &str) -> CognitoResult<Group> {
        self.groups
            .remove(name)
            .ok_or_else(CognitoError::group_not_found)
    }

    /// The groups the user stored as `username` is in, by name.
    pub fn groups_of<'a>(&'a self, username: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups
            .values()
            .filter(move |g| g.members.contains(username))
    }

    /// What the pool and `client` add to the tokens of the user stored as `username`.
    pub fn claim_context(&self, username: &str, client: &AppClient) -> ClaimContext {
        ClaimContext {
            groups: Memberships::new(self.groups_of(username).map(Group::claim).collect()),
            readable: client
                .read_attributes()
                .map(|names| names.iter().cloned().collect()),
        }
    }
}

/// The checks AWS makes on a pool's settings, beyond the model's, with its messages.
fn validate(settings: &PoolSettings, identity: &PoolIdentity) -> CognitoResult<()> {
    if identity.alias_attributes.is_some() && identity.username_attributes.is_some() {
        return Err(CognitoError::InvalidParameterException(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool"
                .into(),
        ));
    }
    let policy = settings
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref());
    if let Some(min) = policy.and_then(|p| p.minimum_length) {
        if !(6..=99).contains(&min) {
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
    if let Some(arn) = settings
        .email_configuration
        .as_ref()
        .and_then(|c| c.source_arn.as_ref())
    {
        if !arn.starts_with("arn:aws:ses:") || !arn.contains(":identity/") {
            return Err(CognitoError::InvalidParameterException(format!(
                "Invalid SourceArn: {arn}"
            )));
        }
    }
    Ok(())
}
