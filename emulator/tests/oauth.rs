//! The OAuth 2.0 endpoints, driven as apps drive them: the token endpoint through the
//! `oauth2` crate (client credentials, authorization code with PKCE, refresh), the
//! login page through plain HTTP as a browser without JavaScript would, and every token
//! checked against the pool's JWKS. Hand-made requests only for malformed input.

use crate::common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ExplicitAuthFlowsType, MessageActionType, OAuthFlowType, ResourceServerScopeType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use cognito_emulator::EmulatorHandle;
use common::{claims, confirmed_user, error, mailed_code, oauth_http as send, start, PW};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    RedirectUrl, RefreshToken, Scope, TokenResponse, TokenUrl,
};
use serde_json::Value;

const CALLBACK: &str = "http://localhost:8080/callback";
const SIGNED_OUT: &str = "http://localhost:8080/bye";

/// The token response's OpenID Connect member.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
struct IdToken {
    id_token: Option<String>,
}
impl oauth2::ExtraTokenFields for IdToken {}

/// The `oauth2` crate's client, reading `id_token` from token responses.
type OidcClient = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::StandardTokenResponse<IdToken, oauth2::basic::BasicTokenType>,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
>;

/// A browser without JavaScript: keeps cookies by hand, never follows redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A pool with a domain, a resource server `api` with scope `read` and `write`, a user
/// `alice` (confirmed, verified address), and its id.
async fn pool(cognito: &Cognito) -> String {
    let pool = common::email_verifying_pool(cognito, "web").await;
    cognito
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain("acme-test")
        .send()
        .await
        .unwrap();
    let scope = |name: &str| {
        ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(name)
            .build()
            .unwrap()
    };
    cognito
        .create_resource_server()
        .user_pool_id(&pool)
        .identifier("api")
        .name("API")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    confirmed_user(cognito, &pool, "alice", Some("alice@example.com")).await;
    pool
}

/// A client of `pool` for the client-credentials grant; its id and secret.
async fn machine_client(cognito: &Cognito, pool: &str) -> (String, String) {
    let c = cognito
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("service")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("api/read")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    (c.client_id.unwrap(), c.client_secret.unwrap())
}

/// A public client of `pool` for the code grant (and the implicit one).
async fn web_client(cognito: &Cognito, pool: &str) -> String {
    cognito
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows(OAuthFlowType::Implicit)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("aws.cognito.signin.user.admin")
        .callback_urls(CALLBACK)
        .logout_urls(SIGNED_OUT)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap()
}

fn base(emulator: &EmulatorHandle) -> String {
    format!("{}/_aws/cognito-idp", emulator.endpoint())
}

/// Verifies `token` against the pool's JWKS, as a resource server would; its claims.
async fn verified(emulator: &EmulatorHandle, pool: &str, token: &str) -> Value {
    let url = format!("{}/{pool}/.well-known/jwks.json", emulator.endpoint());
    let jwks: jsonwebtoken::jwk::JwkSet = reqwest::get(url).await.unwrap().json().await.unwrap();
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let jwk = jwks.find(&kid).expect("the token's key is in the JWKS");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    validation.set_issuer(&[format!(
        "https://cognito-idp.us-east-1.amazonaws.com/{pool}"
    )]);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .expect("the token verifies")
        .claims
}

#[tokio::test]
async fn client_credentials_gives_an_access_token_with_the_resource_servers_scopes() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let (id, secret) = machine_client(&cognito, &pool).await;
    for auth in [AuthType::BasicAuth, AuthType::RequestBody] {
        let client = BasicClient::new(ClientId::new(id.clone()))
            .set_client_secret(ClientSecret::new(secret.clone()))
            .set_token_uri(TokenUrl::new(format!("{}/oauth2/token", base(&emulator))).unwrap())
            .set_auth_type(auth);
        let token = client
            .exchange_client_credentials()
            .add_scope(Scope::new("api/read".into()))
            .request_async(&send)
            .await
            .unwrap();
        assert!(token.refresh_token().is_none());
        assert_eq!(token.expires_in().unwrap().as_secs(), 3600);
        let claims = verified(&emulator, &pool, token.access_token().secret()).await;
        assert_eq!(claims["sub"], id.as_str());
        assert_eq!(claims["client_id"], id.as_str());
        assert_eq!(claims["token_use"], "access");
        assert_eq!(claims["scope"], "api/read");
        assert_eq!(claims["version"], 2);
        assert!(claims.get("username").is_none());
    }
    // No scope asked: every scope the client is allowed.
    let client = BasicClient::new(ClientId::new(id.clone()))
        .set_client_secret(ClientSecret::new(secret.clone()))
        .set_token_uri(TokenUrl::new(format!("{}/oauth2/token", base(&emulator))).unwrap());
    let token = client
        .exchange_client_credentials()
        .request_async(&send)
        .await
        .unwrap();
    assert_eq!(claims(token.access_token().secret())["scope"], "api/read");
}

/// The `error` of a failed token request made through the `oauth2` crate.
fn oauth_error<T: std::fmt::Debug>(
    r: Result<T, oauth2::RequestTokenError<reqwest::Error, oauth2::basic::BasicErrorResponse>>,
) -> String {
    match r {
        Err(oauth2::RequestTokenError::ServerResponse(e)) => e.error().to_string(),
        other => panic!("expected an OAuth error, got {other:?}"),
    }
}

#[tokio::test]
async fn client_credentials_errors_are_rfc_6749s() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let (id, secret) = machine_client(&cognito, &pool).await;
    let token_url = TokenUrl::new(format!("{}/oauth2/token", base(&emulator))).unwrap();
    let client = |secret: &str| {
        BasicClient::new(ClientId::new(id.clone()))
            .set_client_secret(ClientSecret::new(secret.to_owned()))
            .set_token_uri(token_url.clone())
    };
    let wrong_secret = client("not-the-secret")
        .exchange_client_credentials()
        .request_async(&send)
        .await;
    assert_eq!(oauth_error(wrong_secret), "invalid_client");
    let not_allowed = client(&secret)
        .exchange_client_credentials()
        .add_scope(Scope::new("api/write".into()))
        .request_async(&send)
        .await;
    assert_eq!(oauth_error(not_allowed), "invalid_scope");
    // A client without the grant.
    let web = web_client(&cognito, &pool).await;
    let public = BasicClient::new(ClientId::new(web))
        .set_token_uri(token_url.clone())
        .set_auth_type(AuthType::RequestBody);
    let refused = public
        .exchange_client_credentials()
        .request_async(&send)
        .await;
    assert_eq!(oauth_error(refused), "unauthorized_client");
    // Malformed requests, by hand.
    let http = reqwest::Client::new();
    for (body, expected) in [
        (
            format!("grant_type=password&client_id={id}&client_secret={secret}"),
            "unsupported_grant_type",
        ),
        (
            format!("client_id={id}&client_secret={secret}"),
            "invalid_request",
        ),
        (
            "grant_type=client_credentials&client_id=nosuchclient".to_owned(),
            "invalid_client",
        ),
    ] {
        let response = http
            .post(token_url.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let v: Value = response.json().await.unwrap();
        assert_eq!(v["error"], expected);
    }
}

/// Follows the login page for `username` from the authorize URL to the callback; gives
/// the callback's query and the page's session cookie.
async fn sign_in_on_page(
    browser: &reqwest::Client,
    authorize_url: &str,
    username: &str,
    password: &str,
) -> (HashMap<String, String>, String) {
    let to_login = browser.get(authorize_url).send().await.unwrap();
    assert_eq!(to_login.status(), 302);
    let login = absolute(
        authorize_url,
        to_login.headers()["location"].to_str().unwrap(),
    );
    assert!(login.contains("/login?"), "{login}");
    let page = browser
        .get(&login)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("autocomplete=\"current-password\""), "{page}");
    let back = browser
        .post(&login)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302, "{}", back.text().await.unwrap());
    let cookie = back.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"));
    let location = back.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(CALLBACK), "{location}");
    (
        query(&location),
        cookie.split(';').next().unwrap().to_owned(),
    )
}

fn absolute(from: &str, location: &str) -> String {
    if location.starts_with("http") {
        return location.to_owned();
    }
    let origin: String = from.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    format!("{origin}{location}")
}

fn query(url: &str) -> HashMap<String, String> {
    let q = url
        .split_once(['?', '#'])
        .map(|(_, q)| q)
        .unwrap_or_default();
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

#[tokio::test]
async fn the_code_grant_with_pkce_signs_in_on_the_page_and_gives_verified_tokens() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let client = OidcClient::new(ClientId::new(web.clone()))
        .set_auth_uri(AuthUrl::new(format!("{}/oauth2/authorize", base(&emulator))).unwrap())
        .set_token_uri(TokenUrl::new(format!("{}/oauth2/token", base(&emulator))).unwrap())
        .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).unwrap())
        .set_auth_type(AuthType::RequestBody);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .add_extra_param("nonce", "n-0S6_WzA2Mj")
        .set_pkce_challenge(challenge)
        .url();
    let browser = browser();
    let (back, cookie) = sign_in_on_page(&browser, url.as_str(), "alice", PW).await;
    assert_eq!(back["state"], *state.secret());
    let code = back["code"].clone();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(verifier)
        .request_async(&send)
        .await
        .unwrap();
    let access = verified(&emulator, &pool, tokens.access_token().secret()).await;
    assert_eq!(access["scope"], "openid email");
    assert_eq!(access["username"], "alice");
    assert_eq!(access["client_id"], web.as_str());
    assert_eq!(access["version"], 2);
    let id_token = tokens
        .extra_fields()
        .id_token
        .as_deref()
        .expect("an id token");
    let id = verified(&emulator, &pool, id_token).await;
    assert_eq!(id["aud"], web.as_str());
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["email"], "alice@example.com");
    {
        use base64::Engine;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(tokens.access_token().secret().as_bytes());
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
        assert_eq!(id["at_hash"], expected.as_str());
    }
    // userInfo answers for the openid scope, values as strings.
    let info: Value = reqwest::Client::new()
        .get(format!("{}/oauth2/userInfo", base(&emulator)))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["username"], "alice");
    assert_eq!(info["sub"], id["sub"]);
    // The code works once.
    let again = client
        .exchange_code(AuthorizationCode::new(code))
        .request_async(&send)
        .await;
    assert_eq!(oauth_error(again), "invalid_grant");
    // The refresh token keeps the scopes.
    let refreshed = client
        .exchange_refresh_token(&RefreshToken::new(
            tokens.refresh_token().unwrap().secret().clone(),
        ))
        .request_async(&send)
        .await
        .unwrap();
    assert_eq!(
        claims(refreshed.access_token().secret())["scope"],
        "openid email"
    );
    // The page's session signs alice in again without the form.
    let (url, _) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .url();
    let again = browser
        .get(url.as_str())
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let location = again.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(CALLBACK) && query(location).contains_key("code"));
}

#[tokio::test]
async fn a_wrong_verifier_or_redirect_uri_makes_the_code_worthless() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let client = BasicClient::new(ClientId::new(web.clone()))
        .set_auth_uri(AuthUrl::new(format!("{}/oauth2/authorize", base(&emulator))).unwrap())
        .set_token_uri(TokenUrl::new(format!("{}/oauth2/token", base(&emulator))).unwrap())
        .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).unwrap())
        .set_auth_type(AuthType::RequestBody);
    for case in ["verifier", "redirect"] {
        let (challenge, _) = PkceCodeChallenge::new_random_sha256();
        let (url, _) = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge)
            .url();
        let (back, _) = sign_in_on_page(&browser(), url.as_str(), "alice", PW).await;
        let code = AuthorizationCode::new(back["code"].clone());
        let result = if case == "verifier" {
            let (_, wrong) = PkceCodeChallenge::new_random_sha256();
            client
                .exchange_code(code)
                .set_pkce_verifier(wrong)
                .request_async(&send)
                .await
        } else {
            client
                .exchange_code(code)
                .set_redirect_uri(std::borrow::Cow::Owned(
                    RedirectUrl::new("http://localhost:8080/other".into()).unwrap(),
                ))
                .request_async(&send)
                .await
        };
        assert_eq!(oauth_error(result), "invalid_grant", "{case}");
    }
}

#[tokio::test]
async fn the_page_shows_awss_message_for_a_wrong_password_and_never_redirects_to_strangers() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let browser = browser();
    let authorize = authorize_url(&emulator, &web, "response_type=code");
    let login = login_page(&browser, &authorize).await;
    let page = browser
        .post(&login)
        .form(&[("username", "alice"), ("password", "wrong-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Incorrect username or password."), "{html}");
    assert!(html.contains("<label for=\"password\">"));
    // A redirect_uri the client does not list: an error page, no redirect.
    let stranger = authorize.replace("localhost%3A8080", "evil.example");
    let page = browser.get(&stranger).send().await.unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.headers().get("location").is_none());
    assert!(page.text().await.unwrap().contains("redirect_mismatch"));
    // A scope the client may not have goes back to the app as an error.
    let scoped = format!("{authorize}&scope=api%2Fwrite&state=xyz");
    let back = browser.get(&scoped).send().await.unwrap();
    let location = back.headers()["location"].to_str().unwrap();
    let q = query(location);
    assert_eq!(q["error"], "invalid_scope");
    assert_eq!(q["state"], "xyz");
}

#[tokio::test]
async fn the_implicit_grant_puts_the_tokens_in_the_fragment() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let authorize = authorize_url(&emulator, &web, "response_type=token&scope=openid&state=s1");
    let browser = browser();
    let login = login_page(&browser, &authorize).await;
    let back = browser
        .post(&login)
        .form(&[("username", "alice"), ("password", PW)])
        .send()
        .await
        .unwrap();
    let location = back.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("{CALLBACK}#")), "{location}");
    let f = query(location);
    assert_eq!(f["state"], "s1");
    assert_eq!(f["token_type"], "Bearer");
    assert!(!f.contains_key("refresh_token"));
    verified(&emulator, &pool, &f["access_token"]).await;
    verified(&emulator, &pool, &f["id_token"]).await;
}

#[tokio::test]
async fn userinfo_and_the_api_check_the_tokens_scopes() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("api")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let api_token = cognito
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&client)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let http = reqwest::Client::new();
    let userinfo = format!("{}/oauth2/userInfo", base(&emulator));
    // The API's tokens have no openid scope.
    let r = http
        .get(&userinfo)
        .bearer_auth(&api_token)
        .send()
        .await
        .unwrap();
    assert!(r.status() == 401 || r.status() == 403);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("insufficient_scope"));
    let r = http.get(&userinfo).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let r = http
        .get(&userinfo)
        .bearer_auth("a.b.c")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // A token from the code grant without aws.cognito.signin.user.admin cannot call GetUser.
    let web = web_client(&cognito, &pool).await;
    let authorize = authorize_url(&emulator, &web, "response_type=token&scope=openid");
    let (f, _) = sign_in_on_page(&browser(), &authorize, "alice", PW).await;
    let e = cognito
        .get_user()
        .access_token(&f["access_token"])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e.into_service_error()),
        (
            "NotAuthorizedException".into(),
            "Access Token does not have required scopes".into()
        )
    );
}

#[tokio::test]
async fn the_endpoints_answer_on_the_domains_host_at_awss_paths() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let (id, secret) = machine_client(&cognito, &pool).await;
    let http = reqwest::Client::new();
    let token = format!("{}/oauth2/token", emulator.endpoint());
    let body = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let on_domain = http
        .post(&token)
        .header("host", "acme-test.auth.us-east-1.amazoncognito.com")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(on_domain.status(), 200);
    let v: Value = on_domain.json().await.unwrap();
    verified(&emulator, &pool, v["access_token"].as_str().unwrap()).await;
    // Another region's host, or no domain's host: not found.
    for host in ["acme-test.auth.eu-west-1.amazoncognito.com", "localhost"] {
        let r = http
            .post(&token)
            .header("host", host)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{host}");
    }
    // Discovery lists the endpoints once the pool has a domain.
    let config: Value = http
        .get(format!(
            "{}/{pool}/.well-known/openid-configuration",
            emulator.endpoint()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        config["token_endpoint"],
        format!("{}/oauth2/token", base(&emulator)).as_str()
    );
    assert_eq!(
        config["issuer"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool}").as_str()
    );
    for key in [
        "authorization_endpoint",
        "userinfo_endpoint",
        "revocation_endpoint",
        "end_session_endpoint",
    ] {
        assert!(config[key].is_string(), "{key}");
    }
}

#[tokio::test]
async fn logout_clears_the_session_and_redirects_only_to_a_registered_uri() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let browser = browser();
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let ok = browser
        .get(format!(
            "{}/logout?client_id={web}&logout_uri={}",
            base(&emulator),
            enc(SIGNED_OUT)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 302);
    assert_eq!(ok.headers()["location"], SIGNED_OUT);
    assert!(ok.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let stranger = browser
        .get(format!(
            "{}/logout?client_id={web}&logout_uri={}",
            base(&emulator),
            enc("https://evil.example/")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 400);
    assert!(stranger.headers().get("location").is_none());
}

#[tokio::test]
async fn the_page_asks_a_new_user_for_a_new_password_and_confirms_a_sign_up_by_code() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let authorize = authorize_url(&emulator, &web, "response_type=code");
    let browser = browser();
    let login = login_page(&browser, &authorize).await;
    // An administrator-made user with a temporary password.
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("bob")
        .temporary_password("Temp1234!")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let page = browser
        .post(&login)
        .form(&[("username", "bob"), ("password", "Temp1234!")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("NEW_PASSWORD_REQUIRED"), "{page}");
    let field = |html: &str, name: &str| {
        let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap();
        let rest = &html[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_owned()
    };
    let challenge = login.replace("/login?", "/challenge?");
    let back = browser
        .post(&challenge)
        .form(&[
            ("username", "bob".to_owned()),
            ("session", field(&page, "session")),
            ("challenge", "NEW_PASSWORD_REQUIRED".to_owned()),
            ("new_password", "Brand-new1!".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    assert!(query(back.headers()["location"].to_str().unwrap()).contains_key("code"));
    // Sign-up on the page: the code arrives by mail, and confirming signs in.
    let signup = login.replace("/login?", "/signup?");
    let page = browser
        .post(&signup)
        .form(&[
            ("username", "carol"),
            ("email", "carol@example.com"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Confirm your account"), "{page}");
    let code = mailed_code(&emulator, "carol@example.com");
    let confirm = login.replace("/login?", "/confirmUser?");
    let back = browser
        .post(&confirm)
        .form(&[
            ("username", "carol".to_owned()),
            ("ticket", field(&page, "ticket")),
            ("code", code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    assert!(query(back.headers()["location"].to_str().unwrap()).contains_key("code"));
    let user = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("carol")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status.unwrap().as_str(), "CONFIRMED");
}

/// The login URL of an authorization request for `client`, and a browser at it.
async fn login_url(emulator: &EmulatorHandle, client: &str) -> (reqwest::Client, String) {
    let authorize = authorize_url(emulator, client, "response_type=code&state=st");
    let browser = browser();
    let login = login_page(&browser, &authorize).await;
    (browser, login)
}

/// The authorize URL for `client` and the test's callback, with `params` added.
fn authorize_url(emulator: &EmulatorHandle, client: &str, params: &str) -> String {
    format!(
        "{}/oauth2/authorize?client_id={client}&redirect_uri={}&{params}",
        base(emulator),
        form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>()
    )
}

/// Where `authorize` sends the browser: the login page's URL.
async fn login_page(browser: &reqwest::Client, authorize: &str) -> String {
    let to_login = browser.get(authorize).send().await.unwrap();
    absolute(authorize, to_login.headers()["location"].to_str().unwrap())
}

/// The value of the hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_on_the_page_with_the_mailed_code() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    let (browser, login) = login_url(&emulator, &web).await;
    let forgot = login.replace("/login?", "/forgotPassword?");
    let page = browser
        .get(&forgot)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Forgot your password?"), "{page}");
    let page = browser
        .post(&forgot)
        .form(&[("username", "alice")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("a***@e***"),
        "the page names the masked address: {page}"
    );
    let code = mailed_code(&emulator, "alice@example.com");
    let page = browser
        .post(login.replace("/login?", "/confirmForgotPassword?"))
        .form(&[
            ("username", "alice"),
            ("code", &code),
            ("password", "Another-pw1!"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your password has been changed"), "{page}");
    let back = browser
        .post(&login)
        .form(&[("username", "alice"), ("password", "Another-pw1!")])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    let q = query(back.headers()["location"].to_str().unwrap());
    assert!(q.contains_key("code"));
    assert_eq!(q["state"], "st");
}

#[tokio::test]
async fn an_unconfirmed_user_confirms_on_the_page_and_is_signed_in() {
    let (emulator, cognito) = start().await;
    let pool = pool(&cognito).await;
    let web = web_client(&cognito, &pool).await;
    cognito
        .sign_up()
        .client_id(&web)
        .username("dave")
        .password(PW)
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("dave@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let (browser, login) = login_url(&emulator, &web).await;
    // A wrong password is refused as such, before the account's state is told.
    let page = browser
        .post(&login)
        .form(&[("username", "dave"), ("password", "Wrong-pw1!")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Incorrect username or password."), "{page}");
    let page = browser
        .post(&login)
        .form(&[("username", "dave"), ("password", PW)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Confirm your account"), "{page}");
    let code = mailed_code(&emulator, "dave@example.com");
    // A wrong code is refused, and the form stays.
    let confirm = login.replace("/login?", "/confirmUser?");
    let ticket = hidden(&page, "ticket");
    let page = browser
        .post(&confirm)
        .form(&[
            ("username", "dave"),
            ("code", "000000"),
            ("ticket", &ticket),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Invalid verification code provided"),
        "{page}"
    );
    let back = browser
        .post(&confirm)
        .form(&[("username", "dave"), ("code", &code), ("ticket", &ticket)])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    assert!(query(back.headers()["location"].to_str().unwrap()).contains_key("code"));
}

#[tokio::test]
async fn an_mfa_code_from_the_mail_is_asked_for_on_the_page() {
    use aws_sdk_cognitoidentityprovider::types::{
        EmailConfigurationType, EmailMfaConfigType, EmailMfaSettingsType, EmailSendingAccountType,
        UserPoolMfaType,
    };
    let (emulator, cognito) = start().await;
    let pool = cognito
        .create_user_pool()
        .pool_name("mfa-page")
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn("arn:aws:ses:us-east-1:000000000000:identity/auth@example.com")
                .from("auth@example.com")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    cognito
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain("mfa-page")
        .send()
        .await
        .unwrap();
    cognito
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .mfa_configuration(UserPoolMfaType::Optional)
        .email_mfa_configuration(EmailMfaConfigType::builder().build())
        .send()
        .await
        .unwrap();
    confirmed_user(&cognito, &pool, "erin", Some("erin@example.com")).await;
    cognito
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool)
        .username("erin")
        .email_mfa_settings(
            EmailMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let web = web_client(&cognito, &pool).await;
    let (browser, login) = login_url(&emulator, &web).await;
    let page = browser
        .post(&login)
        .form(&[("username", "erin"), ("password", PW)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("EMAIL_OTP") && page.contains("one-time-code"),
        "{page}"
    );
    let mail = emulator.outbox().to("erin@example.com").pop().unwrap();
    let text = mailparse::parse_mail(mail.raw_data.as_bytes())
        .unwrap()
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .map(|p| p.get_body().unwrap())
        .unwrap_or_default();
    let code: String = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 8)
        .unwrap()
        .to_owned();
    let challenge = login.replace("/login?", "/challenge?");
    let answer = |code: String| {
        let fields = [
            ("username", "erin".to_owned()),
            ("session", hidden(&page, "session")),
            ("challenge", "EMAIL_OTP".to_owned()),
            ("code", code),
        ];
        browser.post(&challenge).form(&fields).send()
    };
    let wrong = answer("00000000".into())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(wrong.contains("role=\"alert\""), "{wrong}");
    let back = answer(code).await.unwrap();
    assert_eq!(back.status(), 302);
    assert!(query(back.headers()["location"].to_str().unwrap()).contains_key("code"));
}

#[tokio::test]
async fn a_v3_pre_token_generation_trigger_customizes_client_credentials_tokens() {
    use aws_sdk_cognitoidentityprovider::types::{
        LambdaConfigType, PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
    };
    const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function:m2m";
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let record = seen.clone();
    let emulator = cognito_emulator::Emulator::new().trigger(ARN, move |mut event: Value| {
        record.lock().unwrap().push(event.clone());
        async move {
            event["response"]["claimsAndScopeOverrideDetails"] = serde_json::json!({
                "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}},
            });
            Ok::<_, String>(event)
        }
    });
    let (emulator, cognito) = common::start_with(emulator).await;
    let pool = pool(&cognito).await;
    let (id, secret) = machine_client(&cognito, &pool).await;
    let version = |v: PreTokenGenerationLambdaVersionType| {
        LambdaConfigType::builder()
            .pre_token_generation_config(
                PreTokenGenerationVersionConfigType::builder()
                    .lambda_arn(ARN)
                    .lambda_version(v)
                    .build()
                    .unwrap(),
            )
            .build()
    };
    let token = |emulator_base: String| {
        let (id, secret) = (id.clone(), secret.clone());
        async move {
            let client = BasicClient::new(ClientId::new(id))
                .set_client_secret(ClientSecret::new(secret))
                .set_token_uri(TokenUrl::new(format!("{emulator_base}/oauth2/token")).unwrap());
            let t = client
                .exchange_client_credentials()
                .request_async(&send)
                .await
                .unwrap();
            claims(t.access_token().secret())
        }
    };
    for (v, customized) in [
        (PreTokenGenerationLambdaVersionType::V20, false),
        (PreTokenGenerationLambdaVersionType::V30, true),
    ] {
        cognito
            .update_user_pool()
            .user_pool_id(&pool)
            .lambda_config(version(v))
            .send()
            .await
            .unwrap();
        let claims = token(base(&emulator)).await;
        assert_eq!(claims.get("tenant").is_some(), customized);
    }
    let events = seen.lock().unwrap();
    assert_eq!(
        events.len(),
        1,
        "only the V3_0 trigger is told of a machine's token"
    );
    assert_eq!(
        events[0]["triggerSource"],
        "TokenGeneration_ClientCredentials"
    );
    assert_eq!(events[0]["version"], "3");
    assert_eq!(events[0]["callerContext"]["clientId"], id.as_str());
    assert_eq!(
        events[0]["request"]["scopes"],
        serde_json::json!(["api/read"])
    );
}
