//! What a scenario keeps between its steps, grouped by area. [`CognitoWorld`] holds one
//! of each; a new kind of state goes into the area it belongs to, not onto the World.
//!
//! [`CognitoWorld`]: super::CognitoWorld

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{
    AuthenticationResultType, ChallengeNameType, CodeDeliveryDetailsType,
};

use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;

/// The user pool a scenario works on, the sender it mails from, and what listing the
/// pools found.
#[derive(Debug, Default)]
pub struct PoolState {
    /// The pool steps act on: the one the scenario created, or the existing pool under
    /// test.
    pub current: Option<PoolRef>,
    /// The SES address the scenario's pool sends from, once verified.
    pub sender: Option<String>,
    /// The pools the last ListUserPools returned, in its order.
    pub listed: Vec<ListedPool>,
}

/// The pool a scenario created or uses.
#[derive(Debug, Clone)]
pub struct PoolRef {
    /// The pool id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One pool as ListUserPools reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPool {
    /// The pool id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether the listing gave its creation date.
    pub has_creation_date: bool,
}

/// The app clients of the scenario's pool, by the names the scenario gave them.
#[derive(Debug, Default)]
pub struct Clients {
    by_name: HashMap<String, ClientRef>,
    /// The client steps use when they name none: the first one added.
    current: Option<String>,
}

impl Clients {
    /// Adds `client`. The first client added becomes the one steps use when they name
    /// none, as in the tutorial, where a scenario has one client.
    pub fn add(&mut self, client: ClientRef) {
        if self.current.is_none() {
            self.current = Some(client.name.clone());
        }
        self.by_name.insert(client.name.clone(), client);
    }

    /// The client `name`, or the current client when `name` is `None`.
    pub fn get(&self, name: Option<&str>) -> Result<&ClientRef> {
        let name = name
            .or(self.current.as_deref())
            .ok_or(Error::Missing("an app client"))?;
        self.by_name
            .get(name)
            .ok_or(Error::Missing("that app client"))
    }
}

/// An app client of the scenario's pool.
#[derive(Debug, Clone)]
pub struct ClientRef {
    /// The client id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its secret, for clients that have one.
    pub secret: Option<Secret>,
}

impl ClientRef {
    /// `SECRET_HASH` for `username`, when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_ref()
            .map(|s| crate::secret_hash::secret_hash(s.expose(), username, &self.id))
    }
}

/// A person in a scenario ("alice", "bob"), with the address and password the
/// scenario made for them.
#[derive(Debug, Clone)]
pub struct Person {
    /// Their e-mail address: unique to the scenario.
    pub email: String,
    /// The address before the last change.
    pub old_email: Option<String>,
    /// Their current password.
    pub password: Secret,
    /// The password before the last change.
    pub old_password: Option<Secret>,
    /// `UserSub` from sign-up.
    pub sub: Option<String>,
    /// What the scenario read of their mail.
    pub mail: PersonMail,
    /// The authenticator app on their phone, once they added one to their account.
    pub app: Option<Authenticator>,
}

/// An authenticator app: the secret Cognito shared with it, and the last 30-second step
/// whose code it handed out. A code is accepted once, so the app's next code must come
/// from a later step.
#[derive(Debug, Clone)]
pub struct Authenticator {
    /// `SecretCode` from AssociateSoftwareToken: base32.
    pub secret: Secret,
    /// The 30-second step (Unix seconds / 30) of the last code used.
    pub last_step: Option<u64>,
}

/// What a scenario read of one person's mail.
#[derive(Debug, Clone, Default)]
pub struct PersonMail {
    /// How many mails to them the scenario has read: the next read waits for one more.
    pub read: usize,
    /// Codes read from their mail, oldest first.
    pub codes: Vec<Secret>,
}

/// What the last request answered: `When` steps record it, `Then` steps check it.
#[derive(Debug, Default)]
pub struct Answer {
    /// The AWS error, when the last request was refused; cleared by a success.
    pub error: Option<ApiError>,
    /// `UserConfirmed` from the last sign-up.
    pub user_confirmed: Option<bool>,
    /// `CodeDeliveryDetails` of the last sign-up, resend or forgot-password.
    pub delivery: Option<Delivery>,
}

/// `CodeDeliveryDetails`: where Cognito says it sent a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The attribute, e.g. `email`.
    pub attribute: String,
    /// The masked address, e.g. `a***@e***` (`a***@e***.com` in Cognito's older form).
    pub destination: String,
}

impl Delivery {
    /// Reads the SDK's shape.
    pub fn from_sdk(d: Option<&CodeDeliveryDetailsType>) -> Option<Self> {
        d.map(|d| Self {
            medium: d
                .delivery_medium()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            attribute: d.attribute_name().unwrap_or_default().to_owned(),
            destination: d.destination().unwrap_or_default().to_owned(),
        })
    }
}

/// Logins: the tokens they gave, and a challenge still to answer.
#[derive(Debug, Default)]
pub struct AuthState {
    /// Tokens from the last successful login or refresh.
    pub tokens: Option<Tokens>,
    /// The tokens before those, to compare a refresh with.
    pub previous: Option<Tokens>,
    /// The challenge the last sign-in posed, while it waits for an answer.
    pub challenge: Option<Challenge>,
}

impl AuthState {
    /// Keeps the tokens `person` received through the client `client_id`; the ones before
    /// become the previous tokens, and no challenge is pending any more.
    pub fn keep(&mut self, person: &str, client_id: &str, result: &AuthenticationResultType) {
        let tokens = Tokens::from_result(person, client_id, result);
        self.previous = self.tokens.replace(tokens);
        self.challenge = None;
    }
}

/// A challenge Cognito posed in the middle of a sign-in (`ChallengeName`), to answer with
/// RespondToAuthChallenge.
#[derive(Clone)]
pub struct Challenge {
    /// Who is signing in.
    pub person: String,
    /// The name of the client the sign-in goes through: the answer goes there too.
    pub client: String,
    /// `ChallengeName`.
    pub name: ChallengeNameType,
    /// `Session`, which the answer carries back (PASSWORD_VERIFIER has none).
    pub session: Option<Secret>,
    /// `ChallengeParameters`.
    pub parameters: HashMap<String, String>,
    /// `AvailableChallenges` of a SELECT_CHALLENGE.
    pub available: Vec<ChallengeNameType>,
}

impl Challenge {
    /// A parameter Cognito sent with the challenge; an error naming it when absent.
    pub fn parameter(&self, name: &str) -> Result<&str> {
        self.parameters
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| {
                Error::unexpected(
                    format!("the challenge parameter {name} with {}", self.name),
                    format!("only {:?}", self.parameter_names()),
                )
            })
    }

    fn parameter_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.parameters.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

impl std::fmt::Debug for Challenge {
    // SRP's parameters are long and of no use in a report: names only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Challenge")
            .field("person", &self.person)
            .field("client", &self.client)
            .field("name", &self.name)
            .field("parameters", &self.parameter_names())
            .field("available", &self.available)
            .finish_non_exhaustive()
    }
}

/// Tokens from one successful login or refresh.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Who logged in.
    pub person: String,
    /// The id of the app client they were issued to (`aud`, `client_id`).
    pub client_id: String,
    /// The id token.
    pub id: Secret,
    /// The access token.
    pub access: Secret,
    /// The refresh token (absent after a refresh).
    pub refresh: Option<Secret>,
    /// `ExpiresIn`.
    pub expires_in: i32,
    /// `TokenType`.
    pub token_type: Option<String>,
}

impl Tokens {
    /// The tokens of an `AuthenticationResult`, held as secrets.
    pub fn from_result(person: &str, client_id: &str, result: &AuthenticationResultType) -> Self {
        Self {
            person: person.to_owned(),
            client_id: client_id.to_owned(),
            id: Secret::new(result.id_token().unwrap_or_default()),
            access: Secret::new(result.access_token().unwrap_or_default()),
            refresh: result.refresh_token().map(Secret::new),
            expires_in: result.expires_in(),
            token_type: result.token_type().map(str::to_owned),
        }
    }
}

/// The pool's OAuth 2.0 side: its domain, the clients that use it, and what the token
/// endpoint and the login page answered.
#[derive(Debug, Default)]
pub struct OAuthState {
    /// The pool's domain prefix.
    pub domain: Option<String>,
    /// The service's client (client credentials).
    pub service: Option<ClientRef>,
    /// The web app's client.
    pub web: Option<ClientRef>,
    /// The web app's callback URL.
    pub callback: Option<String>,
    /// The service's access token.
    pub service_token: Option<Secret>,
    /// The `error` of the token endpoint's last refusal.
    pub refusal: Option<String>,
    /// Where the login page sent the browser back (the code and state in its query).
    pub returned_to: Option<Secret>,
    /// The pending authorization's PKCE verifier.
    pub verifier: Option<Secret>,
    /// The pending authorization's `state`.
    pub state: Option<String>,
    /// What the login page said when it did not sign in.
    pub page_said: Option<String>,
    /// Who signed in on the login page.
    pub person: Option<String>,
}

/// What the scenario created, to delete after it whatever its result.
#[derive(Debug, Default)]
pub struct Created {
    /// Pool domains, as (pool id, domain): deleted before their pools, which AWS does not
    /// delete while they have one.
    pub domains: Vec<(String, String)>,
    /// Pool ids.
    pub pools: Vec<String>,
    /// SES identities (sender addresses).
    pub identities: Vec<String>,
    /// Users signed up in a pool the scenario did not create (existing-pool mode).
    pub users: Vec<CreatedUser>,
}

/// A user the scenario signed up in a pool it did not create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    /// The pool's id.
    pub pool_id: String,
    /// The user's Cognito username.
    pub username: String,
}
