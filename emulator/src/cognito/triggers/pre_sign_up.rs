//! PreSignUp, as SignUp and AdminCreateUser both fire it: the event, and what the
//! function's answer decides.

use serde_json::{json, Value};

use super::events::{self, Origin};
use crate::cognito::user::User;
use crate::generated::cognito::shapes::AttributeType;

/// The event: the attributes given (`sub` aside), `validationData`, `clientMetadata`,
/// and AWS's response defaults.
pub fn event<'a>(
    origin: &Origin<'_>,
    version: &str,
    attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    validation: Option<&[AttributeType]>,
    client_metadata: Value,
) -> Value {
    let validation = validation.map(|d| {
        events::given_attributes(
            d.iter()
                .map(|a| (a.name(), a.value.as_deref().unwrap_or_default())),
        )
    });
    events::event(
        origin,
        version,
        json!({
            "userAttributes": events::given_attributes(
                attributes.into_iter().filter(|(k, _)| *k != "sub"),
            ),
            "validationData": validation,
            "clientMetadata": client_metadata,
        }),
        json!({"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}),
    )
}

/// What the function decided (all false when the pool has no PreSignUp).
#[derive(Debug, Clone, Copy, Default)]
pub struct Verdict {
    /// `autoConfirmUser`.
    pub confirm: bool,
    /// `autoVerifyEmail`.
    pub verify_email: bool,
    /// `autoVerifyPhone`.
    pub verify_phone: bool,
}

impl Verdict {
    /// The verdict in the event the function returned, if it was called.
    pub fn of(returned: Option<&Value>) -> Self {
        let flag = |name| returned.is_some_and(|v| events::flag(v, name));
        Self {
            confirm: flag("autoConfirmUser"),
            verify_email: flag("autoVerifyEmail"),
            verify_phone: flag("autoVerifyPhone"),
        }
    }

    /// Marks the user's address and number verified, where the function said so and the
    /// user has them.
    pub fn verify(&self, user: &mut User) {
        if self.verify_email && user.attribute("email").is_some() {
            user.set_attribute("email_verified", "true");
        }
        if self.verify_phone && user.attribute("phone_number").is_some() {
            user.set_attribute("phone_number_verified", "true");
        }
    }
}
