//! The app's side of a pool's OAuth 2.0 endpoints: where they are on the target, the
//! `oauth2` crate's client over the harness's HTTP, and a browser without JavaScript
//! that walks through the managed login page.
//!
//! On an emulator the endpoints are under `{endpoint}/_aws/cognito-idp`; on AWS at the
//! pool domain's host, `https://{domain}.auth.{region}.amazoncognito.com`. The OAuth
//! endpoints are not AWS APIs (the SDK has no client for them): apps call them over plain
//! HTTP, and so does the harness.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// A page's forms, its inputs, an attribute of a tag, and an alert's text: compiled once.
static FORMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<form\b([^>]*)>(.*?)</form>").expect("valid"));
static INPUTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<input\b([^>]*)>").expect("valid"));
static ATTRIBUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid")
});
static ALERT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)role="alert"[^>]*>(.*?)<"#).expect("valid"));

use crate::error::{Error, Result};
use crate::target::Target;

/// The base URL of the OAuth endpoints of a pool whose domain prefix is `domain`.
pub fn base_url(target: &Target, domain: &str) -> String {
    match target.endpoint() {
        Some(endpoint) => format!("{}/_aws/cognito-idp", endpoint.trim_end_matches('/')),
        None => format!(
            "https://{domain}.auth.{}.amazoncognito.com",
            target.region()
        ),
    }
}

/// The `oauth2` crate's HTTP: a request sent through reqwest, redirects not followed
/// (the token endpoint answers directly).
pub async fn send(
    http: &reqwest::Client,
    req: oauth2::HttpRequest,
) -> std::result::Result<oauth2::HttpResponse, reqwest::Error> {
    let (parts, body) = req.into_parts();
    let mut request = http.request(parts.method, parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        request = request.header(name, value);
    }
    let response = request.send().await?;
    let mut builder = oauth2::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder.body(body).unwrap_or_default())
}

/// What a browser without JavaScript does on the login page: it opens the authorize
/// URL, follows redirects by hand (keeping cookies), fills the page's first form that has
/// a password field with the username and password (keeping the form's hidden fields),
/// and posts it, until a redirect reaches `callback`. Gives the callback URL, with its
/// query (the code and state) or fragment.
pub async fn sign_in_on_page(
    authorize_url: &str,
    callback: &str,
    username: &str,
    password: &str,
) -> Result<String> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| page_error(format!("no HTTP client: {e}")))?;
    let mut cookies: HashMap<String, String> = HashMap::new();
    let mut url = authorize_url.to_owned();
    let mut form_sent = false;
    for _ in 0..10 {
        let mut request = browser.get(&url);
        if !cookies.is_empty() {
            request = request.header("cookie", cookie_header(&cookies));
        }
        let response = request
            .send()
            .await
            .map_err(|e| page_error(e.to_string()))?;
        keep_cookies(&response, &mut cookies);
        if let Some(next) = location(&response, &url) {
            if next.starts_with(callback) {
                return Ok(next);
            }
            url = next;
            continue;
        }
        if form_sent {
            return Err(page_error(
                "the login page came back after the form was sent",
            ));
        }
        let status = response.status();
        let html = response
            .text()
            .await
            .map_err(|e| page_error(e.to_string()))?;
        let form = LoginForm::read(&html, &url).ok_or_else(|| {
            page_error(format!(
                "HTTP {status}: no form with a password field on {url}"
            ))
        })?;
        let response = browser
            .post(&form.action)
            .header("cookie", cookie_header(&cookies))
            .form(&form.filled(username, password))
            .send()
            .await
            .map_err(|e| page_error(e.to_string()))?;
        keep_cookies(&response, &mut cookies);
        form_sent = true;
        match location(&response, &form.action) {
            Some(next) if next.starts_with(callback) => return Ok(next),
            Some(next) => url = next,
            None => {
                let html = response.text().await.unwrap_or_default();
                return Err(page_error(format!(
                    "the page did not sign in; it says: {}",
                    alert_text(&html).unwrap_or_else(|| "(no message)".into())
                )));
            }
        }
    }
    Err(page_error("too many redirects"))
}

fn page_error(reason: impl Into<String>) -> Error {
    Error::unexpected("a sign-in on the login page", reason.into())
}

/// The first form with a password field: where it posts, and its fields.
struct LoginForm {
    action: String,
    hidden: Vec<(String, String)>,
    username_field: String,
    password_field: String,
}

impl LoginForm {
    fn read(html: &str, page_url: &str) -> Option<Self> {
        for form in FORMS.captures_iter(html) {
            let body = &form[2];
            let mut hidden = Vec::new();
            let (mut username_field, mut password_field) = (None, None);
            for input in INPUTS.captures_iter(body) {
                let attrs = &input[1];
                let name = attribute(attrs, "name");
                let kind = attribute(attrs, "type").unwrap_or_else(|| "text".into());
                match (kind.to_ascii_lowercase().as_str(), name) {
                    ("hidden", Some(name)) => {
                        hidden.push((name, attribute(attrs, "value").unwrap_or_default()))
                    }
                    ("password", Some(name)) if password_field.is_none() => {
                        password_field = Some(name)
                    }
                    ("text" | "email", Some(name)) if username_field.is_none() => {
                        username_field = Some(name)
                    }
                    _ => {}
                }
            }
            if let (Some(u), Some(p)) = (username_field, password_field) {
                let action = attribute(&form[1], "action").unwrap_or_else(|| page_url.into());
                return Some(Self {
                    action: resolve(page_url, &unescape(&action)),
                    hidden,
                    username_field: u,
                    password_field: p,
                });
            }
        }
        None
    }

    fn filled(&self, username: &str, password: &str) -> Vec<(String, String)> {
        let mut fields = self.hidden.clone();
        fields.push((self.username_field.clone(), username.to_owned()));
        fields.push((self.password_field.clone(), password.to_owned()));
        fields
    }
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    ATTRIBUTES
        .captures_iter(attrs)
        .find(|c| c[1].eq_ignore_ascii_case(name))
        .and_then(|c| c.get(2).or_else(|| c.get(3)))
        .map(|m| unescape(m.as_str()))
}

/// The text of the page's alert, if it shows one.
fn alert_text(html: &str) -> Option<String> {
    Some(unescape(ALERT.captures(html)?[1].trim()))
}

/// HTML's character references for the characters pages escape in attributes.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `target` resolved against `base` (absolute, root-relative, or relative to the path).
fn resolve(base: &str, target: &str) -> String {
    if target.contains("://") {
        return target.to_owned();
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    if target.starts_with('/') {
        return format!("{}{target}", &base[..origin_end]);
    }
    let path = base.split(['?', '#']).next().unwrap_or(base);
    let dir = path.rsplit_once('/').map_or(path, |(d, _)| d);
    format!("{dir}/{target}")
}

fn location(response: &reqwest::Response, from: &str) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let to = response.headers().get("location")?.to_str().ok()?;
    Some(resolve(from, to))
}

fn keep_cookies(response: &reqwest::Response, cookies: &mut HashMap<String, String>) {
    for value in response.headers().get_all("set-cookie") {
        let Some((pair, _)) = value
            .to_str()
            .ok()
            .map(|v| v.split_once(';').unwrap_or((v, "")))
        else {
            continue;
        };
        if let Some((k, v)) = pair.split_once('=') {
            cookies.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
}

fn cookie_header(cookies: &HashMap<String, String>) -> String {
    cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_form_is_read_with_its_hidden_fields() {
        let html = r#"<form method="get" action="/search"><input name="q"></form>
<form method="post" action="/_aws/cognito-idp/login?client_id=abc&amp;state=x">
<input type="hidden" name="_csrf" value="t0k">
<label for="username">Username</label><input id="username" name="username" type="text">
<input id="password" name="password" type="password"></form>"#;
        let form =
            LoginForm::read(html, "http://h:1/_aws/cognito-idp/login?client_id=abc").unwrap();
        assert_eq!(
            form.action,
            "http://h:1/_aws/cognito-idp/login?client_id=abc&state=x"
        );
        assert_eq!(
            form.filled("alice", "pw"),
            vec![
                ("_csrf".to_owned(), "t0k".to_owned()),
                ("username".to_owned(), "alice".to_owned()),
                ("password".to_owned(), "pw".to_owned()),
            ]
        );
        assert!(LoginForm::read("<p>no form</p>", "http://h/").is_none());
        assert_eq!(resolve("http://h:1/a/b?c", "d?e"), "http://h:1/a/d?e");
    }
}
