//! The Lambda trigger functions the harness provides on the embedded target: a small
//! fixed set of function ARNs whose handlers run in this process, registered on the
//! emulator before it starts. What each function does is said per pool, by the steps
//! of the scenario that owns the pool, in a shared [`Triggers`] registry the handlers
//! read by the event's `userPoolId`; scenarios stay independent, each with its own pool.
//!
//! | function | does, for the pools that asked |
//! | --- | --- |
//! | `cognito-e2e-pre-sign-up` | confirms and verifies addresses at a domain (`autoConfirmUser`, `autoVerifyEmail`) |
//! | `cognito-e2e-pre-token-generation` | adds claims to the id token (`claimsOverrideDetails.claimsToAddOrOverride`) |
//!
//! A pool that set no rules gets its event back unchanged. On other targets these
//! functions do not exist: the `@embedded-triggers` scenarios are left out there.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

/// The tag of scenarios that need the harness's trigger functions.
pub const TAG: &str = "embedded-triggers";

/// The account the harness's function ARNs name (the emulator's default).
const ACCOUNT: &str = "000000000000";

/// Which of the harness's functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `cognito-e2e-pre-sign-up`.
    PreSignUp,
    /// `cognito-e2e-pre-token-generation`.
    PreTokenGeneration,
}

impl Function {
    /// The function's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "cognito-e2e-pre-sign-up",
            Self::PreTokenGeneration => "cognito-e2e-pre-token-generation",
        }
    }

    /// The function's ARN in `region`.
    pub fn arn(self, region: &str) -> String {
        format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{}", self.name())
    }
}

/// What the harness's functions do for one pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriggerRules {
    /// Pre sign-up: users whose e-mail address is at this domain are confirmed, and
    /// their address verified, without a code.
    pub confirm_domain: Option<String>,
    /// Pre token generation: claims added to the id token.
    pub id_token_claims: BTreeMap<String, String>,
}

/// The rules of every pool that set some, shared by the steps (which write them) and
/// the handlers (which read them).
#[derive(Debug, Clone, Default)]
pub struct Triggers {
    rules: Arc<Mutex<HashMap<String, TriggerRules>>>,
}

impl Triggers {
    /// Changes the rules of `pool_id` with `change`.
    pub fn update(&self, pool_id: &str, change: impl FnOnce(&mut TriggerRules)) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        change(rules.entry(pool_id.to_owned()).or_default());
    }

    /// Forgets the rules of `pool_id` (its scenario is over).
    pub fn forget(&self, pool_id: &str) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.remove(pool_id);
    }

    fn rules_for(&self, event: &Value) -> TriggerRules {
        let pool_id = event["userPoolId"].as_str().unwrap_or_default();
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.get(pool_id).cloned().unwrap_or_default()
    }

    /// Registers the harness's functions, for `region`, on the emulator `builder`.
    pub fn register(
        &self,
        builder: cognito_emulator::Emulator,
        region: &str,
    ) -> cognito_emulator::Emulator {
        let (sign_up, token) = (self.clone(), self.clone());
        builder
            .trigger(Function::PreSignUp.arn(region), move |event| {
                let answer = pre_sign_up(&sign_up.rules_for(&event), event);
                async move { Ok::<_, String>(answer) }
            })
            .trigger(Function::PreTokenGeneration.arn(region), move |event| {
                let answer = pre_token_generation(&token.rules_for(&event), event);
                async move { Ok::<_, String>(answer) }
            })
    }
}

/// The pre-sign-up function: confirms and verifies addresses at the pool's domain.
fn pre_sign_up(rules: &TriggerRules, mut event: Value) -> Value {
    let Some(domain) = &rules.confirm_domain else {
        return event;
    };
    let email = event["request"]["userAttributes"]["email"]
        .as_str()
        .unwrap_or_default();
    let at_domain = email
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain));
    if at_domain {
        event["response"]["autoConfirmUser"] = json!(true);
        event["response"]["autoVerifyEmail"] = json!(true);
    }
    event
}

/// The pre-token-generation function (event version 1): adds the pool's claims to the
/// id token.
fn pre_token_generation(rules: &TriggerRules, mut event: Value) -> Value {
    if rules.id_token_claims.is_empty() {
        return event;
    }
    event["response"]["claimsOverrideDetails"] = json!({
        "claimsToAddOrOverride": rules.id_token_claims,
    });
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_up_event(pool: &str, email: &str) -> Value {
        json!({
            "userPoolId": pool,
            "triggerSource": "PreSignUp_SignUp",
            "request": {"userAttributes": {"email": email}},
            "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
        })
    }

    #[test]
    fn pre_sign_up_confirms_only_the_pools_domain() {
        let triggers = Triggers::default();
        triggers.update("p1", |r| r.confirm_domain = Some("example.org".into()));
        let confirmed = |pool: &str, email: &str| {
            let event = sign_up_event(pool, email);
            let answer = pre_sign_up(&triggers.rules_for(&event), event);
            answer["response"]["autoConfirmUser"] == json!(true)
                && answer["response"]["autoVerifyEmail"] == json!(true)
        };
        assert!(confirmed("p1", "alice@example.org"));
        assert!(!confirmed("p1", "bob@example.com"));
        assert!(!confirmed("p1", "eve@notexample.org"));
        assert!(!confirmed("p2", "alice@example.org"));
        triggers.forget("p1");
        assert!(!confirmed("p1", "alice@example.org"));
    }

    #[test]
    fn pre_token_generation_adds_the_pools_claims() {
        let mut rules = TriggerRules::default();
        rules.id_token_claims.insert("tenant".into(), "acme".into());
        let answer = pre_token_generation(&rules, json!({"userPoolId": "p1", "response": {}}));
        assert_eq!(
            answer["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"],
            json!({"tenant": "acme"})
        );
        let untouched = json!({"userPoolId": "p2", "response": {"claimsOverrideDetails": null}});
        assert_eq!(
            pre_token_generation(&TriggerRules::default(), untouched.clone()),
            untouched
        );
    }

    #[test]
    fn arns_name_the_region_and_the_function() {
        assert_eq!(
            Function::PreSignUp.arn("eu-west-1"),
            "arn:aws:lambda:eu-west-1:000000000000:function:cognito-e2e-pre-sign-up"
        );
    }
}
