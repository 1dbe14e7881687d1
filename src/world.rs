//! The World: what one scenario knows. Its state is grouped by area in [`state`]: the
//! pool, the app clients, the people, the last answer, the logins, and what it created.
//! Every scenario has its own id (see [`crate::naming`]), so scenarios run concurrently
//! against one emulator or one AWS account; whatever a scenario creates is deleted by
//! [`CognitoWorld::clean_up`], pass or fail.

pub mod state;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider::types::AuthenticationResultType;

use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::naming;
use crate::secrets::Secret;
use crate::target::Target;

pub use state::{
    Answer, AuthState, Authenticator, Challenge, ClientRef, Clients, Created, CreatedUser,
    Delivery, ListedPool, OAuthState, Person, PersonMail, PoolRef, PoolState, Tokens,
};

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
    /// This scenario's id, part of every name and address it makes.
    pub scenario_id: String,
    /// The user pool, its SES sender, and the last listing of pools.
    pub pools: PoolState,
    /// The app clients.
    pub clients: Clients,
    /// People by the name the scenario calls them ("alice").
    pub people: HashMap<String, Person>,
    /// What the last request answered.
    pub answer: Answer,
    /// Tokens from logins, and a pending challenge.
    pub auth: AuthState,
    /// The pool's OAuth 2.0 side.
    pub oauth: OAuthState,
    /// What the scenario saw (mails, tokens, AWS errors), for the HTML report.
    pub evidence: crate::evidence::Evidence,
    /// The scenario's own SDK clients: the target's, with an interceptor that records
    /// every response for `compare`.
    clients_sdk: ScenarioSdk,
    /// What to delete after the scenario.
    pub created: Created,
}

impl std::fmt::Debug for CognitoWorld {
    // Printed by cucumber when a step fails: names and ids only, secrets as [redacted].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoWorld")
            .field("scenario_id", &self.scenario_id)
            .field("target", &self.target.kind().name())
            .field("pool", &self.pools.current)
            .field("clients", &self.clients)
            .field("people", &self.people)
            .field("last_error", &self.answer.error)
            .field("has_tokens", &self.auth.tokens.is_some())
            .field("challenge", &self.auth.challenge)
            .finish_non_exhaustive()
    }
}

/// A scenario's SDK clients and what they recorded.
#[derive(Clone)]
struct ScenarioSdk {
    cognito: aws_sdk_cognitoidentityprovider::Client,
    ses: aws_sdk_ses::Client,
    recorder: crate::responses::Recorder,
}

impl ScenarioSdk {
    fn new(target: &Target, scenario_id: &str) -> Self {
        let recorder = crate::responses::Recorder::new(vec![scenario_id.to_owned()]);
        let cognito = aws_sdk_cognitoidentityprovider::Client::from_conf(
            target
                .cognito()
                .config()
                .to_builder()
                .interceptor(recorder.clone())
                .build(),
        );
        let ses = aws_sdk_ses::Client::from_conf(
            target
                .ses()
                .config()
                .to_builder()
                .interceptor(recorder.clone())
                .build(),
        );
        Self {
            cognito,
            ses,
            recorder,
        }
    }
}

impl CognitoWorld {
    /// The scenario's Cognito client (the target's, recording every response).
    pub fn cognito(&self) -> &aws_sdk_cognitoidentityprovider::Client {
        &self.clients_sdk.cognito
    }

    /// The scenario's SES client.
    pub fn ses(&self) -> &aws_sdk_ses::Client {
        &self.clients_sdk.ses
    }

    /// Every response the scenario received so far, normalized, taken out.
    pub fn take_responses(&self) -> Vec<crate::responses::ResponseSeen> {
        self.clients_sdk.recorder.take()
    }

    /// A fresh scenario on the run's target.
    pub async fn new() -> Result<Self> {
        let target = target().ok_or(Error::Target {
            target: "shared",
            reason: "no target was set: the runner calls set_target before running".into(),
        })?;
        let scenario_id = naming::next_scenario_id();
        Ok(Self {
            clients_sdk: ScenarioSdk::new(&target, &scenario_id),
            target,
            scenario_id,
            pools: PoolState::default(),
            clients: Clients::default(),
            people: HashMap::new(),
            answer: Answer::default(),
            auth: AuthState::default(),
            oauth: OAuthState::default(),
            evidence: crate::evidence::Evidence::default(),
            created: Created::default(),
        })
    }

    /// The pool's name for a scenario: the tutorial's name with the scenario's id, so
    /// that leftovers can be found and pools of concurrent runs never clash.
    pub fn pool_name(&self, name: &str) -> String {
        naming::pool_name(&self.scenario_id, name)
    }

    /// The scenario's pool.
    pub fn pool(&self) -> Result<&PoolRef> {
        self.pools
            .current
            .as_ref()
            .ok_or(Error::Missing("a user pool"))
    }

    /// The client `name`, or the scenario's current client.
    pub fn client(&self, name: Option<&str>) -> Result<&ClientRef> {
        self.clients.get(name)
    }

    /// The person `name`, created on first mention with a fresh address and a password
    /// that meets the default policy.
    pub fn person(&mut self, name: &str) -> &mut Person {
        let email = naming::person_address(name, &self.scenario_id, self.target.mail_domain());
        self.people
            .entry(name.to_owned())
            .or_insert_with(|| Person {
                email,
                old_email: None,
                password: Secret::new(strong_password()),
                old_password: None,
                sub: None,
                mail: PersonMail::default(),
                app: None,
            })
    }

    /// The person `name`, who must have appeared before.
    pub fn known(&self, name: &str) -> Result<&Person> {
        self.people.get(name).ok_or(Error::Missing("that person"))
    }

    /// The tokens of the last login or refresh; an error if it was refused, or if it
    /// posed a challenge that is still to answer.
    pub fn current_tokens(&self) -> Result<&Tokens> {
        if let Some(e) = &self.answer.error {
            return Err(Error::unexpected("tokens", e));
        }
        if let Some(c) = &self.auth.challenge {
            return Err(Error::unexpected(
                "tokens",
                format!("the challenge {} still to answer", c.name),
            ));
        }
        self.auth
            .tokens
            .as_ref()
            .ok_or(Error::Missing("tokens from a login"))
    }

    /// Keeps the tokens `name` received through the client `client_id`; the ones before
    /// become the previous tokens.
    pub fn keep_tokens(&mut self, name: &str, client_id: &str, result: &AuthenticationResultType) {
        self.auth.keep(name, client_id, result);
    }

    /// Notes that the scenario made user `username`: in a pool it did not create
    /// (existing-pool mode), the user is deleted after the scenario.
    pub fn own_user(&mut self, username: &str) -> Result<()> {
        let pool_id = self.pool()?.id.clone();
        if !self.created.pools.contains(&pool_id) {
            self.created.users.push(CreatedUser {
                pool_id,
                username: username.to_owned(),
            });
        }
        Ok(())
    }

    /// Records an API outcome: the error is kept for a later `Then`, success clears it.
    pub fn record<T>(&mut self, outcome: std::result::Result<T, ApiError>) -> Option<T> {
        match outcome {
            Ok(v) => {
                self.answer.error = None;
                Some(v)
            }
            Err(e) => {
                self.evidence.errors.push(crate::evidence::ErrorSeen {
                    operation: e.operation.to_owned(),
                    code: e.code.clone(),
                    message: e.message.clone(),
                });
                self.answer.error = Some(e);
                None
            }
        }
    }

    /// Fails with the last error, if the last request was refused; clears it. For
    /// `Given` steps, which set the scene and must not leave a refusal behind.
    pub fn take_error(&mut self) -> Result<()> {
        self.answer
            .error
            .take()
            .map_or(Ok(()), |e| Err(e.into_error()))
    }

    /// Deletes what the scenario created; errors are logged, not raised, so that one
    /// failed deletion does not hide the scenario's own result.
    pub async fn clean_up(&mut self) {
        let cognito = self.target.cognito(); // clean-up is not recorded
        for user in self.created.users.drain(..) {
            let deleted = cognito
                .admin_delete_user()
                .user_pool_id(&user.pool_id)
                .username(&user.username)
                .send()
                .await;
            if let Err(e) = deleted {
                let e = ApiError::from_sdk("AdminDeleteUser", &e);
                if e.code != "UserNotFoundException" {
                    eprintln!(
                        "cleanup: could not delete user {} of {}: {e}",
                        user.username, user.pool_id
                    );
                }
            }
        }
        for (pool, domain) in self.created.domains.drain(..) {
            let deleted = cognito
                .delete_user_pool_domain()
                .user_pool_id(&pool)
                .domain(&domain)
                .send()
                .await;
            if let Err(e) = deleted {
                eprintln!(
                    "cleanup: could not delete domain {domain} of {pool}: {}",
                    ApiError::from_sdk("DeleteUserPoolDomain", &e)
                );
            }
        }
        for id in self.created.pools.drain(..) {
            if let Some(triggers) = self.target.triggers() {
                triggers.forget(&id);
            }
            if let Err(e) = cognito.delete_user_pool().user_pool_id(&id).send().await {
                let e = ApiError::from_sdk("DeleteUserPool", &e);
                if e.code != "ResourceNotFoundException" {
                    eprintln!("cleanup: could not delete pool {id}: {e}");
                }
            }
        }
        let ses = self.target.ses();
        for identity in self.created.identities.drain(..) {
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
