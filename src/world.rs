//! The World: what one scenario knows — its pool, client, users, the last answer it got
//! and the tokens it holds. Every scenario has its own names (a run id), so scenarios
//! run concurrently against one emulator or one AWS account; whatever a scenario
//! creates is deleted by [`CognitoWorld::clean_up`], pass or fail.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::naming;
use crate::secrets::Secret;
use crate::target::Target;

/// A person in a scenario ("alice", "bob"), with the address and password the
/// scenario made for them.
#[derive(Debug, Clone)]
pub struct Person {
    /// Their e-mail address: unique to the scenario.
    pub email: String,
    /// Their current password.
    pub password: Secret,
    /// The password before the last change.
    pub old_password: Option<Secret>,
    /// `UserSub` from sign-up.
    pub sub: Option<String>,
    /// Codes read from their mail, oldest first.
    pub codes: Vec<Secret>,
    /// How many mails to them the scenario has read.
    pub mails_read: usize,
}

/// Tokens from one successful login or refresh.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Who logged in.
    pub person: String,
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
    pub fn from_result(
        person: &str,
        result: &aws_sdk_cognitoidentityprovider::types::AuthenticationResultType,
    ) -> Self {
        Self {
            person: person.to_owned(),
            id: Secret::new(result.id_token().unwrap_or_default()),
            access: Secret::new(result.access_token().unwrap_or_default()),
            refresh: result.refresh_token().map(Secret::new),
            expires_in: result.expires_in(),
            token_type: result.token_type().map(str::to_owned),
        }
    }
}

/// `CodeDeliveryDetails`: where Cognito says it sent a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The attribute, e.g. `email`.
    pub attribute: String,
    /// The masked address, e.g. `a***@e***.com`.
    pub destination: String,
}

impl Delivery {
    /// Reads the SDK's shape.
    pub fn from_sdk(
        d: Option<&aws_sdk_cognitoidentityprovider::types::CodeDeliveryDetailsType>,
    ) -> Option<Self> {
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

/// The pool a scenario created or uses.
#[derive(Debug, Clone)]
pub struct PoolRef {
    /// The pool id.
    pub id: String,
    /// Its name.
    pub name: String,
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

// The run's target, shared by every scenario. A Mutex rather than a OnceLock so that
// the runner can take it back at the end and shut it down (remove the container).
static TARGET: Mutex<Option<Arc<Target>>> = Mutex::new(None);

/// Makes `target` the one every scenario of this run uses. Call once, before the run.
pub fn set_target(target: Arc<Target>) -> Result<()> {
    let mut slot = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_some() {
        return Err(Error::Target {
            target: "shared",
            reason: "a target was already set for this run".into(),
        });
    }
    *slot = Some(target);
    Ok(())
}

/// The run's target.
pub fn target() -> Option<Arc<Target>> {
    TARGET.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Takes the run's target back, once the scenarios are done.
pub fn take_target() -> Option<Arc<Target>> {
    TARGET.lock().unwrap_or_else(|e| e.into_inner()).take()
}

/// The state of one scenario.
#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct CognitoWorld {
    /// Where the scenario runs.
    pub target: Arc<Target>,
    /// This scenario's id: the run prefix and a counter.
    pub run: String,
    /// The pool.
    pub pool: Option<PoolRef>,
    /// The app clients by name; `cli` is the tutorial's.
    pub clients: HashMap<String, ClientRef>,
    /// The client steps use when they name none.
    pub client: Option<String>,
    /// People by name.
    pub people: HashMap<String, Person>,
    /// The SES sender address, once verified.
    pub sender: Option<String>,
    /// Pools listed by the last ListUserPools: (id, name, has creation date).
    pub listed_pools: Vec<(String, String, bool)>,
    /// `UserConfirmed` from the last sign-up.
    pub last_sign_up_confirmed: Option<bool>,
    /// `CodeDeliveryDetails` of the last sign-up, resend or forgot-password.
    pub last_delivery: Option<Delivery>,
    /// The last AWS error.
    pub last_error: Option<ApiError>,
    /// Tokens from the last successful login or refresh.
    pub tokens: Option<Tokens>,
    /// Tokens from the login before that.
    pub previous_tokens: Option<Tokens>,
    /// The `Session` of a pending NEW_PASSWORD_REQUIRED challenge.
    pub challenge: Option<Secret>,
    /// Pools to delete after the scenario.
    pub created_pools: Vec<String>,
    /// SES identities to delete after the scenario.
    pub created_identities: Vec<String>,
    /// Users signed up in a pool the scenario did not create (existing-pool mode), to
    /// delete after it: (pool id, username).
    pub created_users: Vec<(String, String)>,
}

impl std::fmt::Debug for CognitoWorld {
    // Printed by cucumber when a step fails: names and ids only, secrets as [redacted].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoWorld")
            .field("run", &self.run)
            .field("target", &self.target.kind().name())
            .field("pool", &self.pool)
            .field("clients", &self.clients)
            .field("people", &self.people)
            .field("last_error", &self.last_error)
            .field("has_tokens", &self.tokens.is_some())
            .finish_non_exhaustive()
    }
}

impl CognitoWorld {
    /// A fresh scenario on the run's target.
    pub async fn new() -> Result<Self> {
        let target = target().ok_or(Error::Target {
            target: "shared",
            reason: "no target was set: the runner calls set_target before running".into(),
        })?;
        Ok(Self {
            target,
            run: naming::next_scenario_id(),
            pool: None,
            clients: HashMap::new(),
            client: None,
            people: HashMap::new(),
            sender: None,
            listed_pools: Vec::new(),
            last_sign_up_confirmed: None,
            last_delivery: None,
            last_error: None,
            tokens: None,
            previous_tokens: None,
            challenge: None,
            created_pools: Vec::new(),
            created_identities: Vec::new(),
            created_users: Vec::new(),
        })
    }

    /// The pool's name for a scenario: the tutorial's name with the run's prefix, so that
    /// leftovers can be found and pools of concurrent runs never clash.
    pub fn pool_name(&self, name: &str) -> String {
        naming::pool_name(&self.run, name)
    }

    /// The scenario's pool.
    pub fn pool(&self) -> Result<&PoolRef> {
        self.pool.as_ref().ok_or(Error::Missing("a user pool"))
    }

    /// The client `name`, or the scenario's current client.
    pub fn client(&self, name: Option<&str>) -> Result<&ClientRef> {
        let name = name
            .or(self.client.as_deref())
            .ok_or(Error::Missing("an app client"))?;
        self.clients
            .get(name)
            .ok_or(Error::Missing("that app client"))
    }

    /// The person `name`, created on first mention with a fresh address and a password
    /// that meets the default policy.
    pub fn person(&mut self, name: &str) -> &mut Person {
        let email = naming::person_address(name, &self.run, self.target.mail_domain());
        self.people
            .entry(name.to_owned())
            .or_insert_with(|| Person {
                email,
                password: Secret::new(strong_password()),
                old_password: None,
                sub: None,
                codes: Vec::new(),
                mails_read: 0,
            })
    }

    /// The person `name`, who must have appeared before.
    pub fn known(&self, name: &str) -> Result<&Person> {
        self.people.get(name).ok_or(Error::Missing("that person"))
    }

    /// The tokens of the last login or refresh; an error if it was refused.
    pub fn current_tokens(&self) -> Result<&Tokens> {
        if let Some(e) = &self.last_error {
            return Err(Error::unexpected("tokens", e));
        }
        self.tokens
            .as_ref()
            .ok_or(Error::Missing("tokens from a login"))
    }

    /// Keeps the tokens `name` received; the ones before become the previous tokens.
    pub fn keep_tokens(
        &mut self,
        name: &str,
        result: &aws_sdk_cognitoidentityprovider::types::AuthenticationResultType,
    ) {
        let tokens = Tokens::from_result(name, result);
        self.previous_tokens = self.tokens.replace(tokens);
    }

    /// Notes that the scenario made user `username`: in a pool it did not create
    /// (existing-pool mode), the user is deleted after the scenario.
    pub fn own_user(&mut self, username: &str) -> Result<()> {
        let pool = self.pool()?.id.clone();
        if !self.created_pools.contains(&pool) {
            self.created_users.push((pool, username.to_owned()));
        }
        Ok(())
    }

    /// Records an API outcome: the error is kept for a later `Then`, success clears it.
    pub fn record<T>(&mut self, outcome: std::result::Result<T, ApiError>) -> Option<T> {
        match outcome {
            Ok(v) => {
                self.last_error = None;
                Some(v)
            }
            Err(e) => {
                self.last_error = Some(e);
                None
            }
        }
    }

    /// Deletes what the scenario created; errors are logged, not raised, so that one
    /// failed deletion does not hide the scenario's own result.
    pub async fn clean_up(&mut self) {
        let cognito = self.target.cognito();
        for (pool, username) in self.created_users.drain(..) {
            let deleted = cognito
                .admin_delete_user()
                .user_pool_id(&pool)
                .username(&username)
                .send()
                .await;
            if let Err(e) = deleted {
                let e = ApiError::from_sdk("AdminDeleteUser", &e);
                if e.code != "UserNotFoundException" {
                    eprintln!("cleanup: could not delete user {username} of {pool}: {e}");
                }
            }
        }
        for id in self.created_pools.drain(..) {
            if let Err(e) = cognito.delete_user_pool().user_pool_id(&id).send().await {
                let e = ApiError::from_sdk("DeleteUserPool", &e);
                if e.code != "ResourceNotFoundException" {
                    eprintln!("cleanup: could not delete pool {id}: {e}");
                }
            }
        }
        let ses = self.target.ses();
        for identity in self.created_identities.drain(..) {
            if let Err(e) = ses.delete_identity().identity(&identity).send().await {
                eprintln!(
                    "cleanup: could not delete SES identity {identity}: {}",
                    ApiError::from_sdk("DeleteIdentity", &e)
                );
            }
        }
    }
}

/// A password that meets AWS's default policy, different every time.
pub fn strong_password() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    format!(
        "Pw{}9!",
        Alphanumeric.sample_string(&mut rand::thread_rng(), 12)
    )
}
