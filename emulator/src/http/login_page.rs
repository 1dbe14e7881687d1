//! The managed login page: plain HTML forms, no JavaScript and no external assets, each
//! posting back to the page with the authorization request carried in the query string.
//! What each form does is decided in `crate::cognito::oauth::login`; this file parses
//! the forms and renders the answers.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::oauth::{not_a_domain, redirect, refused, Site};
use super::{blocking, AppState};
use crate::cognito::oauth::authorize::{self, Authorization, AuthorizeParams, PAGE_SESSION_SECS};
use crate::cognito::oauth::login::{self, Form, PageOutcome};
use crate::cognito::oauth::OAuthError;
use crate::cognito::Cognito;
use crate::context::RequestContext;

/// The name of the page's session cookie.
pub const SESSION_COOKIE: &str = "cognito";

/// Which form a request posts.
#[derive(Debug, Clone, Copy)]
pub(super) enum Action {
    SignIn,
    Challenge,
    SignUp,
    Confirm,
    Forgot,
    Reset,
}

/// `GET /login`, `/signup`, `/forgotPassword`: the empty form.
pub(super) async fn show(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let path = uri.path().rsplit('/').next().unwrap_or_default().to_owned();
    blocking(move || {
        let svc = &app.cognito;
        let auth = match authorize::check(svc, site.pool.as_ref(), &params) {
            Ok(a) => a,
            Err(r) => return refused(r),
        };
        let form = match path.as_str() {
            "signup" => Form::SignUp {
                email_is_username: email_is_username(svc, &auth),
                error: None,
            },
            "forgotPassword" => Form::ForgotPassword { error: None },
            _ => Form::SignIn {
                error: None,
                notice: None,
            },
        };
        render(&site, &params, &form)
    })
    .await
}

/// `POST` of any form: runs it and shows what follows.
pub(super) async fn submit(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(params): Query<AuthorizeParams>,
    body: axum::body::Bytes,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let action = match uri.path().rsplit('/').next().unwrap_or_default() {
        "login" => Action::SignIn,
        "challenge" => Action::Challenge,
        "signup" => Action::SignUp,
        "confirmUser" => Action::Confirm,
        "forgotPassword" => Action::Forgot,
        _ => Action::Reset,
    };
    let fields: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let ctx = RequestContext::new(app.default_region.clone(), app.account_id.clone())
        .with_endpoint(super::base_url(&headers));
    blocking(move || {
        let svc = &app.cognito;
        let auth = match authorize::check(svc, site.pool.as_ref(), &params) {
            Ok(a) => a,
            Err(r) => return refused(r),
        };
        let field = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or_default();
        let outcome = match action {
            Action::SignIn => login::sign_in(
                svc,
                &ctx,
                &auth,
                field("username"),
                fields.get("password").map(String::as_str).unwrap_or_default(),
            ),
            Action::Challenge => login::answer(
                svc,
                &auth,
                field("username"),
                field("challenge"),
                field("session"),
                &fields,
            ),
            Action::SignUp => login::sign_up(
                svc,
                &ctx,
                &auth,
                field("username"),
                field("email"),
                fields.get("password").map(String::as_str).unwrap_or_default(),
            ),
            Action::Confirm => login::confirm(
                svc,
                &ctx,
                &auth,
                field("username"),
                field("code"),
                fields.get("ticket").map(String::as_str),
            ),
            Action::Forgot => login::forgot(svc, &ctx, &auth, field("username")),
            Action::Reset => login::reset(
                svc,
                &ctx,
                &auth,
                field("username"),
                field("code"),
                fields.get("password").map(String::as_str).unwrap_or_default(),
            ),
        };
        match outcome {
            PageOutcome::Done { redirect: to, cookie } => {
                let mut response = redirect(&to);
                let cookie = format!(
                    "{SESSION_COOKIE}={cookie}; Path=/; Max-Age={PAGE_SESSION_SECS}; HttpOnly; SameSite=Lax"
                );
                if let Ok(v) = cookie.parse() {
                    response.headers_mut().insert(header::SET_COOKIE, v);
                }
                response
            }
            PageOutcome::Show(form) => render(&site, &params, &form),
        }
    })
    .await
}

fn email_is_username(svc: &Cognito, auth: &Authorization) -> bool {
    svc.read(&auth.pool.region, |s| {
        Ok(s.pool(&auth.pool.pool_id)?.email_is_username())
    })
    .unwrap_or(false)
}

/// An error page, for requests that cannot be sent back to an app.
pub(super) fn error_page(status: StatusCode, e: &OAuthError) -> Response {
    let body = format!(
        "<h1>An error was encountered with the requested page.</h1>\n<p role=\"alert\">{}</p>\n<p><code>{}</code></p>",
        escape(&e.description),
        escape(e.error)
    );
    (status, Html(page("Error", &body))).into_response()
}

/// Renders `form`, its actions carrying the authorization request `params`.
fn render(site: &Site, params: &AuthorizeParams, form: &Form) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let action = |path: &str| escape(&format!("{}/{path}?{query}", site.prefix));
    let alert = |e: &Option<String>| {
        e.as_deref()
            .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", escape(e)))
            .unwrap_or_default()
    };
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
            escape(value)
        )
    };
    let (title, body) = match form {
        Form::SignIn { error, notice } => (
            "Sign in",
            format!(
                "{}{}<form method=\"post\" action=\"{}\">\n{}{}<button type=\"submit\">Sign in</button>\n</form>\n<p><a href=\"{}\">Forgot your password?</a></p>\n<p>Need an account? <a href=\"{}\">Sign up</a></p>",
                notice
                    .as_deref()
                    .map(|n| format!("<p class=\"notice\" role=\"status\">{}</p>\n", escape(n)))
                    .unwrap_or_default(),
                alert(error),
                action("login"),
                field("username", "Username", "text", "username"),
                field("password", "Password", "password", "current-password"),
                action("forgotPassword"),
                action("signup"),
            ),
        ),
        Form::NewPassword {
            username,
            session,
            error,
        } => (
            "Change your password",
            format!(
                "<p>Choose a new password to replace your temporary one.</p>\n{}<form method=\"post\" action=\"{}\">\n{}{}{}{}<button type=\"submit\">Change password</button>\n</form>",
                alert(error),
                action("challenge"),
                hidden("username", username),
                hidden("session", session),
                hidden("challenge", "NEW_PASSWORD_REQUIRED"),
                field("new_password", "New password", "password", "new-password"),
            ),
        ),
        Form::MfaCode {
            username,
            session,
            challenge,
            destination,
            error,
        } => (
            "Enter your code",
            format!(
                "<p>{}</p>\n{}<form method=\"post\" action=\"{}\">\n{}{}{}{}<button type=\"submit\">Sign in</button>\n</form>",
                match destination {
                    Some(d) => format!("We sent a code to {}.", escape(d)),
                    None => "Enter the code from your authenticator app.".into(),
                },
                alert(error),
                action("challenge"),
                hidden("username", username),
                hidden("session", session),
                hidden("challenge", challenge.as_str()),
                code_field(),
            ),
        ),
        Form::SelectMfa {
            username,
            session,
            options,
        } => (
            "Choose how to sign in",
            format!(
                "<form method=\"post\" action=\"{}\">\n{}{}{}<fieldset><legend>Second factor</legend>\n{}</fieldset>\n<button type=\"submit\">Continue</button>\n</form>",
                action("challenge"),
                hidden("username", username),
                hidden("session", session),
                hidden("challenge", "SELECT_MFA_TYPE"),
                options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| format!(
                        "<label><input type=\"radio\" name=\"mfa_type\" value=\"{0}\"{1}> {0}</label>\n",
                        escape(o),
                        if i == 0 { " checked" } else { "" }
                    ))
                    .collect::<String>(),
            ),
        ),
        Form::ConfirmAccount {
            username,
            ticket,
            destination,
            error,
        } => (
            "Confirm your account",
            format!(
                "<p>{}</p>\n{}<form method=\"post\" action=\"{}\">\n{}{}{}<button type=\"submit\">Confirm account</button>\n</form>",
                match destination {
                    Some(d) => format!("We have sent a code by email to {}. Enter it below to confirm your account.", escape(d)),
                    None => "Enter the code we sent you to confirm your account.".into(),
                },
                alert(error),
                action("confirmUser"),
                hidden("username", username),
                ticket.as_deref().map(|t| hidden("ticket", t)).unwrap_or_default(),
                code_field(),
            ),
        ),
        Form::SignUp {
            email_is_username,
            error,
        } => (
            "Sign up",
            format!(
                "{}<form method=\"post\" action=\"{}\">\n{}{}{}<button type=\"submit\">Sign up</button>\n</form>\n<p>Already have an account? <a href=\"{}\">Sign in</a></p>",
                alert(error),
                action("signup"),
                if *email_is_username {
                    String::new()
                } else {
                    field("username", "Username", "text", "username")
                },
                field("email", "Email", "email", "email"),
                field("password", "Password", "password", "new-password"),
                action("login"),
            ),
        ),
        Form::ForgotPassword { error } => (
            "Forgot your password?",
            format!(
                "<p>Enter your username and we will send you a code to reset your password.</p>\n{}<form method=\"post\" action=\"{}\">\n{}<button type=\"submit\">Reset my password</button>\n</form>",
                alert(error),
                action("forgotPassword"),
                field("username", "Username", "text", "username"),
            ),
        ),
        Form::ResetPassword {
            username,
            destination,
            error,
        } => (
            "Reset your password",
            format!(
                "<p>{}</p>\n{}<form method=\"post\" action=\"{}\">\n{}{}{}<button type=\"submit\">Change password</button>\n</form>",
                match destination {
                    Some(d) => format!("We have sent a password reset code by email to {}.", escape(d)),
                    None => "Enter the code we sent you.".into(),
                },
                alert(error),
                action("confirmForgotPassword"),
                hidden("username", username),
                code_field(),
                field("password", "New password", "password", "new-password"),
            ),
        ),
        Form::Unsupported { challenge } => (
            "Sign-in step not available",
            format!(
                "<p role=\"alert\">This sign-in needs the {} step, which the emulator's login page does not offer. Sign in through the API instead.</p>",
                escape(challenge)
            ),
        ),
    };
    (StatusCode::OK, Html(page(title, &body))).into_response()
}

/// A labelled input.
fn field(name: &str, label: &str, kind: &str, autocomplete: &str) -> String {
    format!(
        "<label for=\"{name}\">{label}</label>\n<input id=\"{name}\" name=\"{name}\" type=\"{kind}\" autocomplete=\"{autocomplete}\" required>\n"
    )
}

/// The input for a code from a mail or an authenticator app.
fn code_field() -> String {
    "<label for=\"code\">Code</label>\n<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\n".into()
}

/// The page around `body`: small, self-contained, readable without styles.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n",
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f2f3f3;margin:0}\
main{max-width:22rem;margin:3rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0003}\
h1{font-size:1.3rem}label{display:block;margin-top:.8rem;font-weight:600}\
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.3rem;border:1px solid #879596;border-radius:4px}\
button{margin-top:1.2rem;width:100%;padding:.6rem;background:#0972d3;color:#fff;border:0;border-radius:4px;font-size:1rem}\
.error{color:#b0021a;background:#fff1f0;padding:.5rem;border-left:3px solid #d91515}\
.notice{background:#f2f8fd;padding:.5rem;border-left:3px solid #0972d3}\
fieldset{border:0;padding:0}";

/// `text` with HTML's special characters escaped, for text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
