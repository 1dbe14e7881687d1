//! What the managed login page does with each form: sign in, answer a challenge
//! (a new password, an MFA code), confirm an account with the mailed code, sign up,
//! and reset a forgotten password. Each step ends either signed in, with the browser
//! sent back to the app, or with the next form to show.
//!
//! Sign-up, confirmation and password reset go through the same operations an app
//! calls (`SignUp`, `ConfirmSignUp`, `ForgotPassword`, ...), with the client's
//! `SECRET_HASH` added, so the page mails the same codes and fires the same triggers.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::authorize::{complete, session_cookie, Authorization};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::ops::auth::page::{self, PageStep};
use crate::cognito::secret_hash;
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::ChallengeNameType;

/// How long a confirmation form remembers that the password was already checked.
const TICKET_SECS: i64 = 900;

/// What the page shows or does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    /// Signed in: set the session cookie and send the browser to `redirect`.
    Done {
        /// The app's callback with the code (or the tokens).
        redirect: String,
        /// The page's session cookie.
        cookie: String,
    },
    /// Show a form.
    Show(Form),
}

/// A form of the page, with what it needs to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// Username and password.
    SignIn {
        /// An error to show (AWS's message).
        error: Option<String>,
        /// A notice to show (the account is confirmed, the password changed).
        notice: Option<String>,
    },
    /// A new password for a temporary one.
    NewPassword {
        /// Who signs in.
        username: String,
        /// The challenge's session.
        session: String,
        /// An error to show.
        error: Option<String>,
    },
    /// An MFA code: from an authenticator app or from a mail.
    MfaCode {
        /// Who signs in.
        username: String,
        /// The challenge's session.
        session: String,
        /// `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`.
        challenge: ChallengeNameType,
        /// Where the code went, for `EMAIL_OTP`.
        destination: Option<String>,
        /// An error to show.
        error: Option<String>,
    },
    /// A choice between MFA factors.
    SelectMfa {
        /// Who signs in.
        username: String,
        /// The challenge's session.
        session: String,
        /// The factors offered (`SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
        options: Vec<String>,
    },
    /// The code mailed to confirm an account.
    ConfirmAccount {
        /// Who confirms.
        username: String,
        /// Proof that the password was checked, so that confirmation signs in.
        ticket: Option<String>,
        /// Where the code went.
        destination: Option<String>,
        /// An error to show.
        error: Option<String>,
    },
    /// Sign-up.
    SignUp {
        /// Whether the pool signs users in by e-mail address (no separate username).
        email_is_username: bool,
        /// An error to show.
        error: Option<String>,
    },
    /// The username whose password is forgotten.
    ForgotPassword {
        /// An error to show.
        error: Option<String>,
    },
    /// The mailed code and a new password.
    ResetPassword {
        /// Whose password.
        username: String,
        /// Where the code went.
        destination: Option<String>,
        /// An error to show.
        error: Option<String>,
    },
    /// A challenge the page cannot pose (say, MFA set-up).
    Unsupported {
        /// The challenge.
        challenge: String,
    },
}

/// Signs in with a username and password.
pub fn sign_in(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    username: &str,
    password: &str,
) -> PageOutcome {
    let step = page::sign_in(
        svc,
        &auth.pool.region,
        &auth.pool.pool_id,
        &auth.client_id,
        username,
        password,
    );
    match step {
        Err(CognitoError::UserNotConfirmedException(_)) => {
            // The password was right (it is checked first): once the code is in,
            // the user is signed in without typing it again.
            let destination = call(
                svc,
                ctx,
                auth,
                "ResendConfirmationCode",
                username,
                json!({}),
            )
            .ok()
            .and_then(|v| {
                v["CodeDeliveryDetails"]["Destination"]
                    .as_str()
                    .map(str::to_owned)
            });
            PageOutcome::Show(Form::ConfirmAccount {
                username: username.to_owned(),
                ticket: Some(ticket(svc, auth, username)),
                destination,
                error: None,
            })
        }
        other => after(svc, auth, username, other, |error| Form::SignIn {
            error: Some(error),
            notice: None,
        }),
    }
}

/// Answers the challenge `challenge` in `session` with the form's `fields`.
pub fn answer(
    svc: &Cognito,
    auth: &Authorization,
    username: &str,
    challenge: &str,
    session: &str,
    fields: &HashMap<String, String>,
) -> PageOutcome {
    let name = ChallengeNameType::from(challenge);
    let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let responses: HashMap<String, String> = match name {
        ChallengeNameType::NewPasswordRequired => {
            HashMap::from([("NEW_PASSWORD".into(), field("new_password"))])
        }
        ChallengeNameType::SoftwareTokenMfa => {
            HashMap::from([("SOFTWARE_TOKEN_MFA_CODE".into(), field("code"))])
        }
        ChallengeNameType::EmailOtp => HashMap::from([("EMAIL_OTP_CODE".into(), field("code"))]),
        ChallengeNameType::SelectMfaType => HashMap::from([("ANSWER".into(), field("mfa_type"))]),
        _ => {
            return PageOutcome::Show(Form::Unsupported {
                challenge: challenge.to_owned(),
            })
        }
    };
    let step = page::respond(
        svc,
        &auth.pool.region,
        &auth.client_id,
        username,
        &name,
        session,
        responses,
    );
    let (username, session) = (username.to_owned(), session.to_owned());
    after(
        svc,
        auth,
        &username.clone(),
        step,
        move |error| match name {
            ChallengeNameType::NewPasswordRequired => Form::NewPassword {
                username,
                session,
                error: Some(error),
            },
            ChallengeNameType::SoftwareTokenMfa | ChallengeNameType::EmailOtp => Form::MfaCode {
                username,
                session,
                challenge: name,
                destination: None,
                error: Some(error),
            },
            // A wrong answer to anything else ends the sign-in.
            _ => Form::SignIn {
                error: Some(error),
                notice: None,
            },
        },
    )
}

/// Confirms `username`'s account with the mailed `code`; with a genuine `ticket` (the
/// password was checked on this page), signs the user in.
pub fn confirm(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    username: &str,
    code: &str,
    ticket: Option<&str>,
) -> PageOutcome {
    if let Err(e) = call(
        svc,
        ctx,
        auth,
        "ConfirmSignUp",
        username,
        json!({"ConfirmationCode": code}),
    ) {
        return PageOutcome::Show(Form::ConfirmAccount {
            username: username.to_owned(),
            ticket: ticket.map(str::to_owned),
            destination: None,
            error: Some(e.message().to_owned()),
        });
    }
    let proven = ticket.is_some_and(|t| ticket_holds(svc, auth, t, username));
    if !proven {
        return PageOutcome::Show(Form::SignIn {
            error: None,
            notice: Some("Your account is confirmed. Sign in to continue.".into()),
        });
    }
    let grant = page::resume(
        svc,
        &auth.pool.region,
        &auth.pool.pool_id,
        &auth.client_id,
        username,
    );
    after(
        svc,
        auth,
        username,
        grant.map(|g| PageStep::SignedIn(Box::new(g))),
        |error| Form::SignIn {
            error: Some(error),
            notice: None,
        },
    )
}

/// Signs up; a user the pool confirms at once (a pre-sign-up trigger) is signed in, any
/// other is asked for the mailed code.
pub fn sign_up(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    username: &str,
    email: &str,
    password: &str,
) -> PageOutcome {
    let email_is_username = svc
        .read(&auth.pool.region, |s| {
            Ok(s.pool(&auth.pool.pool_id)?.email_is_username())
        })
        .unwrap_or(false);
    let username = if email_is_username || username.is_empty() {
        email
    } else {
        username
    };
    let mut input = json!({"Password": password});
    if !email.is_empty() {
        input["UserAttributes"] = json!([{"Name": "email", "Value": email}]);
    }
    match call(svc, ctx, auth, "SignUp", username, input) {
        Err(e) => PageOutcome::Show(Form::SignUp {
            email_is_username,
            error: Some(e.message().to_owned()),
        }),
        Ok(v) if v["UserConfirmed"] == json!(true) => sign_in(svc, ctx, auth, username, password),
        Ok(v) => PageOutcome::Show(Form::ConfirmAccount {
            username: username.to_owned(),
            ticket: Some(ticket(svc, auth, username)),
            destination: v["CodeDeliveryDetails"]["Destination"]
                .as_str()
                .map(str::to_owned),
            error: None,
        }),
    }
}

/// Starts a password reset: mails a code.
pub fn forgot(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    username: &str,
) -> PageOutcome {
    match call(svc, ctx, auth, "ForgotPassword", username, json!({})) {
        Err(e) => PageOutcome::Show(Form::ForgotPassword {
            error: Some(e.message().to_owned()),
        }),
        Ok(v) => PageOutcome::Show(Form::ResetPassword {
            username: username.to_owned(),
            destination: v["CodeDeliveryDetails"]["Destination"]
                .as_str()
                .map(str::to_owned),
            error: None,
        }),
    }
}

/// Ends a password reset with the mailed code and the new password.
pub fn reset(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    username: &str,
    code: &str,
    password: &str,
) -> PageOutcome {
    let input = json!({"ConfirmationCode": code, "Password": password});
    match call(svc, ctx, auth, "ConfirmForgotPassword", username, input) {
        Err(e) => PageOutcome::Show(Form::ResetPassword {
            username: username.to_owned(),
            destination: None,
            error: Some(e.message().to_owned()),
        }),
        Ok(_) => PageOutcome::Show(Form::SignIn {
            error: None,
            notice: Some("Your password has been changed. Sign in with the new one.".into()),
        }),
    }
}

/// What a sign-in step leads to on the page: back to the app when signed in, the
/// challenge's form, or `retry` with the error's message.
fn after(
    svc: &Cognito,
    auth: &Authorization,
    username: &str,
    step: CognitoResult<PageStep>,
    retry: impl FnOnce(String) -> Form,
) -> PageOutcome {
    match step {
        Ok(PageStep::SignedIn(grant)) => {
            let cookie = session_cookie(svc, &auth.pool, &grant.username, grant.auth_time);
            match complete(svc, auth, *grant) {
                Ok(redirect) => PageOutcome::Done { redirect, cookie },
                Err(e) => PageOutcome::Show(retry(e.message().to_owned())),
            }
        }
        Ok(PageStep::Challenge {
            name,
            session,
            parameters,
        }) => {
            let username = username.to_owned();
            PageOutcome::Show(match name {
                ChallengeNameType::NewPasswordRequired => Form::NewPassword {
                    username,
                    session,
                    error: None,
                },
                ChallengeNameType::SoftwareTokenMfa | ChallengeNameType::EmailOtp => {
                    Form::MfaCode {
                        username,
                        session,
                        destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
                        challenge: name,
                        error: None,
                    }
                }
                ChallengeNameType::SelectMfaType => Form::SelectMfa {
                    username,
                    session,
                    options: parameters
                        .get("MFAS_CAN_CHOOSE")
                        .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
                        .unwrap_or_default(),
                },
                other => Form::Unsupported {
                    challenge: other.as_str().to_owned(),
                },
            })
        }
        Err(e) => PageOutcome::Show(retry(e.message().to_owned())),
    }
}

/// Calls operation `op` through the client, for `username`, with `input` and the
/// client's `ClientId` and `SECRET_HASH` added.
fn call(
    svc: &Cognito,
    ctx: &RequestContext,
    auth: &Authorization,
    op: &str,
    username: &str,
    mut input: Value,
) -> CognitoResult<Value> {
    let secret = svc.read(&auth.pool.region, |s| {
        Ok(s.pool(&auth.pool.pool_id)?
            .client(&auth.client_id)?
            .secret
            .clone())
    })?;
    input["ClientId"] = json!(auth.client_id);
    input["Username"] = json!(username);
    if let Some(secret) = secret {
        input["SecretHash"] = json!(secret_hash::compute(&secret, username, &auth.client_id));
    }
    let ctx = RequestContext {
        region: auth.pool.region.clone(),
        ..ctx.clone()
    };
    svc.dispatch(&ctx, op, input)
}

/// Proof, for the confirmation form, that `username`'s password was just checked.
fn ticket(svc: &Cognito, auth: &Authorization, username: &str) -> String {
    svc.page_seal().seal(&json!({
        "purpose": "confirm",
        "pool": auth.pool.pool_id,
        "client": auth.client_id,
        "user": username,
        "exp": svc.now().secs() + TICKET_SECS,
    }))
}

fn ticket_holds(svc: &Cognito, auth: &Authorization, ticket: &str, username: &str) -> bool {
    svc.page_seal()
        .open(ticket, svc.now().secs())
        .is_some_and(|v| {
            v["purpose"] == "confirm"
                && v["pool"] == json!(auth.pool.pool_id)
                && v["client"] == json!(auth.client_id)
                && v["user"] == json!(username)
        })
}
